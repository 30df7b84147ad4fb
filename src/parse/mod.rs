//! Parsers: one module per syntax, each producing located documents and never panicking.

pub mod doc;
pub mod hcl;
pub mod helm;
pub mod yaml;

/// Why a file (or an embedded document) could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column in the parsed text, when the parser knows them.
    pub line: Option<u32>,
    pub col: Option<u32>,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            line: None,
            col: None,
        }
    }

    pub fn at(message: impl Into<String>, line: usize, col: usize) -> ParseError {
        ParseError {
            message: message.into(),
            line: u32::try_from(line).ok().filter(|l| *l > 0),
            col: u32::try_from(col).ok().filter(|c| *c > 0),
        }
    }
}
