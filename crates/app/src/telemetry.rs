//! Log output: human-readable by default, JSON with `LATCHKEY_LOG_FORMAT=json`.
//! Filter with `RUST_LOG` (default `info` for the server, `warn` for one-shot commands).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The server's logs: standard output, `info` and up.
pub fn init(format: LogFormat) {
    install(format, "info", false);
}

/// One-shot commands (`migrate`, `admin …`): warnings and errors on standard error, so
/// standard output carries only the command's answer (e.g. a generated password).
pub fn init_for_command(format: LogFormat) {
    install(format, "warn", true);
}

fn install(format: LogFormat, default_filter: &str, to_stderr: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let ansi = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi);
    // `try_init` so that embedding (tests) may initialise first without a panic.
    let _ = match (format, to_stderr) {
        (LogFormat::Json, false) => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        (LogFormat::Json, true) => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_writer(std::io::stderr)
            .try_init(),
        (LogFormat::Text, false) => builder.try_init(),
        (LogFormat::Text, true) => builder.with_writer(std::io::stderr).try_init(),
    };
}
