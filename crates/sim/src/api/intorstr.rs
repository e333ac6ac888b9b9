//! `IntOrString` (apimachinery/pkg/util/intstr): a port given as a number or by name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A number or a name, as `targetPort` and `maxSurge` accept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    /// A number, e.g. `targetPort: 80`.
    Int(i32),
    /// A name or a percentage, e.g. `targetPort: http` or `maxSurge: 25%`.
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(n) => write!(f, "{n}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}
