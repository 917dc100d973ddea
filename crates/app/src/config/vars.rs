//! Reading settings from a lookup, with errors that name the setting the way the operator
//! wrote it (a variable, or a key in the file).

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;

use anyhow::anyhow;

pub(super) struct Vars<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    label: &'a dyn Fn(&str) -> String,
}

impl<'a> Vars<'a> {
    pub(super) fn new(lookup: &'a dyn Fn(&str) -> Option<String>, label: &'a dyn Fn(&str) -> String) -> Self {
        Self { lookup, label }
    }

    pub(super) fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    /// An error naming the setting; `why` never contains the value of a secret (callers
    /// pass fixed text or the offending non-secret value).
    pub(super) fn fail(&self, name: &str, why: impl Display) -> anyhow::Error {
        anyhow!("{}: {why}", (self.label)(name))
    }

    pub(super) fn parse<T>(&self, name: &str, default: &str) -> anyhow::Result<T>
    where
        T: FromStr,
        T::Err: Display,
    {
        let raw = self.get(name).unwrap_or_else(|| default.to_owned());
        raw.parse::<T>()
            .map_err(|e| self.fail(name, format!("cannot parse {raw:?}: {e}")))
    }

    /// A whole number within `range`, `default` when unset.
    pub(super) fn ranged<T>(&self, name: &str, default: T, range: RangeInclusive<T>) -> anyhow::Result<T>
    where
        T: FromStr + PartialOrd + Display + Copy,
    {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        match raw.trim().parse::<T>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(self.fail(
                name,
                format!(
                    "must be a whole number from {} to {}, not {raw:?}",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }
}
