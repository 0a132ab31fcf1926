//! One error type for the library. Messages are written for the people who edit `geodata/`:
//! each names the file, the feature or rule, what is wrong and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the input. `check` collects all of them before it reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file the problem is in (relative to the geodata folder where possible).
    pub file: String,
    /// The feature, rule or field concerned (`line "amur"`, `segment "argun"`, ...), if any.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Problem {
    pub fn new(
        file: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            item: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn at(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        if let Some(item) = &self.item {
            write!(f, "{item}: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " (fix: {})", self.hint)?;
        }
        Ok(())
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has one or more problems; all of them are listed.
    #[error("{}", list(.0))]
    Problems(Vec<Problem>),
    /// Reading or writing a file failed.
    #[error("{path}: {source} ({hint})")]
    Io {
        path: PathBuf,
        source: std::io::Error,
        hint: &'static str,
    },
    /// A request that does not fit the data (unknown treaty id, reading, date, CRS ...).
    #[error("{0}")]
    Usage(String),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error, hint: &'static str) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
            hint,
        }
    }

    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::Problems(p) => p.clone(),
            _ => Vec::new(),
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Error::Problems(vec![p])
    }
}

pub type Result<T> = std::result::Result<T, Error>;
