//! The `TYPE NAME…` / `TYPE/NAME` operands of kubectl verbs that act on one kind.

use svclab_sim::api::ResourceKind;

/// Why the operands could not name a kind.
pub enum OperandError {
    /// No operands at all.
    Missing,
    /// A type the server does not have (kubectl's message included).
    UnknownType(String),
}

/// The kind and the names of `TYPE NAME…` or `TYPE/NAME`; names may be empty (`TYPE` alone).
pub fn kind_and_names(operands: &[&str]) -> Result<(ResourceKind, Vec<String>), OperandError> {
    let (kind_arg, names): (&str, Vec<String>) = match operands {
        [one] if one.contains('/') => {
            let (k, n) = one.split_once('/').unwrap_or((one, ""));
            (k, vec![n.to_string()])
        }
        [kind, names @ ..] => (kind, names.iter().map(|n| n.to_string()).collect()),
        [] => return Err(OperandError::Missing),
    };
    match ResourceKind::from_resource_arg(kind_arg) {
        Some(kind) => Ok((kind, names)),
        None => Err(OperandError::UnknownType(format!(
            "error: {}\n",
            super::resource_types::unknown_type(kind_arg)
        ))),
    }
}
