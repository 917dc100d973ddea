//! `embed_migrations!` reads `migrations/sqlite` at compile time, but a proc macro cannot
//! tell cargo to watch it: without this, a new migration is left out of the binary until
//! something else in the crate changes (diesel_migrations' documentation asks for it).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations/sqlite");
}
