//! A small file system of its own — a size-limited tmpfs — to fill up under a running
//! server: the full disk, for real, rather than an error injected somewhere. Mounting
//! needs root (the CI runner is root; `chmod` would not stop a root server, which is
//! why a read-only file cannot stand in for this).

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A mounted tmpfs of a fixed size, unmounted when dropped.
pub struct SmallDisk {
    dir: TempDir,
    filler: PathBuf,
}

impl SmallDisk {
    /// Mounts `mib` MiB. `None` with a loud message when this process may not mount
    /// (not root), unless `CI=true`, where that is a failure: CI must run the fault.
    pub fn mount(mib: u32) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m,mode=0700"), "tmpfs"])
            .arg(dir.path())
            .output()
            .unwrap();
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            return crate::missing("small tmpfs (mounting needs root)", why);
        }
        let filler = dir.path().join("filler");
        Some(Self { dir, filler })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file until the file system has no block left; returns its size.
    pub fn fill(&self) -> u64 {
        let mut file = File::create(&self.filler).unwrap();
        let block = [0u8; 4096];
        let mut written = 0;
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) if e.kind() == ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the small disk: {e}"),
            }
        }
        written
    }

    /// Deletes the filler: the space is back.
    pub fn free(&self) {
        std::fs::remove_file(&self.filler).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazy: a file still open (a server not yet gone) does not keep it mounted.
        let _ = Command::new("umount").arg("--lazy").arg(self.dir.path()).status();
    }
}
