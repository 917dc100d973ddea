//! `latchkey serve` (and `latchkey --demo`): build, print the banner, serve until a
//! signal, then stop in order: requests, background jobs, pools, the demo's simulator.

use crate::banner;
use crate::config::Config;
use crate::demo::{self, Demo};
use crate::server::{self, BuildOptions};

pub async fn run(mut config: Config, demo_mode: bool) -> anyhow::Result<()> {
    let demo = if demo_mode {
        Some(Demo::start(&mut config)?)
    } else {
        None
    };
    let server = server::build(&config, BuildOptions::default()).await?;
    match &demo {
        Some(d) => {
            let seeded = demo::seed(server.services(), d).await?;
            banner::print(&config, &server, Some((&seeded, d.sim.base_url())));
        }
        None => banner::print(&config, &server, None),
    }
    tracing::info!(addr = %server.addr, demo = demo_mode, "serving");
    let result = server.run().await;
    if let Some(d) = demo {
        d.stop().await;
    }
    result?;
    tracing::info!("stopped");
    Ok(())
}
