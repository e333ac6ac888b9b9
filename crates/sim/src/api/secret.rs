//! Secrets (k8s.io/api/core/v1/types.go `Secret`): small named values, bytes rather than text,
//! that pods read as variables or files. In JSON and YAML `data` is base64; `stringData` is a
//! write-only convenience the API server folds into `data` (pkg/apis/core/v1/conversion.go
//! `Convert_v1_Secret_To_core_Secret`), so a stored Secret never has it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;

/// `SecretTypeOpaque`, the default type (core/v1 defaults.go `SetDefaults_Secret`).
pub const SECRET_TYPE_OPAQUE: &str = "Opaque";

/// A Secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// With `true`, the data can no longer change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
    /// Values by key: bytes, base64 in JSON and YAML.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "base64_values"
    )]
    pub data: BTreeMap<String, Vec<u8>>,
    /// Text values to write into `data` (they win over `data` for the same key).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub string_data: BTreeMap<String, String>,
    /// `Opaque`, `kubernetes.io/tls`, …: which keys the data must have.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
}

impl Secret {
    /// What the API server stores: `stringData` folded into `data`, `type` defaulted.
    pub fn fold_string_data(&mut self) {
        for (key, value) in std::mem::take(&mut self.string_data) {
            self.data.insert(key, value.into_bytes());
        }
        if self.type_.is_empty() {
            self.type_ = SECRET_TYPE_OPAQUE.to_owned();
        }
    }

    /// Every key with its value as a process or a file sees it: the bytes as text (Go's
    /// `string(b)`; invalid UTF-8 is replaced here, since the lab's files and variables are
    /// text), in key order.
    pub fn texts(&self) -> BTreeMap<String, String> {
        self.data
            .iter()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
            .collect()
    }
}

/// `map[string][]byte` as encoding/json writes and reads it: each value base64, or (reading)
/// an array of byte values.
mod base64_values {
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(map.iter().map(|(k, v)| (k, crate::base64::encode(v))))
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Encoded {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Vec<u8>>, D::Error> {
        let raw: Option<BTreeMap<String, Option<Encoded>>> = Option::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (key, value) in raw.unwrap_or_default() {
            let bytes = match value {
                None => Vec::new(),
                Some(Encoded::Bytes(b)) => b,
                Some(Encoded::Text(t)) => crate::base64::decode(&t)
                    .map_err(|at| D::Error::custom(crate::base64::error_text(at)))?,
            };
            out.insert(key, bytes);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_base64_in_yaml_and_string_data_folds_in() {
        let mut s: Secret = serde_yaml_ng::from_str(
            "metadata: {name: db}\ndata: {user: YWRtaW4=}\nstringData: {password: hunter2, user: root}\n",
        )
        .expect("decodes");
        assert_eq!(s.data.get("user"), Some(&b"admin".to_vec()));
        s.fold_string_data();
        assert!(s.string_data.is_empty());
        assert_eq!(s.type_, "Opaque");
        assert_eq!(s.texts().get("user").map(String::as_str), Some("root"));
        let yaml = serde_yaml_ng::to_string(&s).expect("encodes");
        assert!(yaml.contains("password: aHVudGVyMg=="), "{yaml}");
        assert!(yaml.contains("type: Opaque"), "{yaml}");
        assert!(!yaml.contains("stringData"), "{yaml}");
    }

    #[test]
    fn bad_base64_is_goes_error() {
        let e =
            serde_yaml_ng::from_str::<Secret>("data: {password: hunter2}\n").expect_err("refused");
        assert!(
            e.to_string()
                .contains("illegal base64 data at input byte 4"),
            "{e}"
        );
    }
}
