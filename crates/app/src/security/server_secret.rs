//! The server secret: from `LATCHKEY_SECRET`, or generated once into the data directory.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

const FILE_NAME: &str = "secret.key";
const MIN_CONFIGURED_LEN: usize = 32;

/// Returns the secret bytes. A configured secret must be at least 32 characters.
pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    if let Some(s) = configured {
        if s.len() < MIN_CONFIGURED_LEN {
            bail!("LATCHKEY_SECRET must be at least {MIN_CONFIGURED_LEN} characters");
        }
        return Ok(Zeroizing::new(s.as_bytes().to_vec()));
    }
    let path = data_dir.join(FILE_NAME);
    if path.exists() {
        let text = Zeroizing::new(
            std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
        );
        let bytes = STANDARD
            .decode(text.trim())
            .with_context(|| format!("{} is not valid base64", path.display()))?;
        if bytes.len() < 32 {
            bail!("{} holds fewer than 32 bytes", path.display());
        }
        return Ok(Zeroizing::new(bytes));
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let mut bytes = Zeroizing::new(vec![0u8; 32]);
    super::random::fill(&mut bytes);
    write_private(&path, STANDARD.encode(&*bytes).as_bytes())?;
    tracing::info!(path = %path.display(), "generated a new server secret");
    Ok(bytes)
}

/// Creates the file readable by its owner only; refuses to overwrite.
fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_private_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create(None, dir.path()).unwrap();
        let b = load_or_create(None, dir.path()).unwrap();
        assert_eq!(*a, *b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn short_configured_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_or_create(Some("short"), dir.path()).is_err());
        assert_eq!(
            &**load_or_create(Some(&"k".repeat(40)), dir.path()).unwrap(),
            "k".repeat(40).as_bytes()
        );
    }
}
