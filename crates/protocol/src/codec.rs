//! JSON text on the wire: `postMessage` carries strings, and both sides are Rust.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The message as JSON text.
pub fn encode<T: Serialize>(message: &T) -> String {
    // Serializing these plain structs cannot fail (string keys, no custom serializers).
    serde_json::to_string(message).unwrap_or_default()
}

/// The message read back; a malformed text is an error, never a panic.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}
