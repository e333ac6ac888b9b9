//! The API server's error model and how kubectl prints it.
//!
//! Three layers, as in the real code:
//! - [`FieldError`]: one validation failure, rendered as
//!   `staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go` (v0.33.1) renders it;
//! - [`StatusError`]: what the API server answers, built as
//!   `staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go` builds it (`NewInvalid`,
//!   `NewNotFound`, ...);
//! - [`kubectl_error_output`]: what kubectl writes to stderr for it
//!   (`staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go`: `checkErr`, `StandardErrorMessage`,
//!   `AddSourceToErr`, `MultilineError`).

use std::collections::BTreeSet;
use std::fmt;

use crate::api::StringMap;

/// A field path such as `spec.ports[0].nodePort`, built like `field.NewPath(...).Child(...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(String);

impl FieldPath {
    /// A root path, `field.NewPath(name)`.
    pub fn new(name: &str) -> Self {
        FieldPath(name.to_string())
    }

    /// `Child(name)`: `a.b`. An empty root gives just `b`, as `field.Path.String` does.
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    /// `Index(i)`: `a[i]`.
    pub fn index(&self, i: usize) -> Self {
        FieldPath(format!("{}[{i}]", self.0))
    }

    /// `Key(k)`: `a[k]` (map keys are not quoted by `field.Path.String`).
    pub fn key(&self, k: &str) -> Self {
        FieldPath(format!("{}[{k}]", self.0))
    }

    /// The rendered path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `field.ErrorType`: why a field is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// `FieldValueNotFound`, "Not found".
    NotFound,
    /// `FieldValueRequired`, "Required value".
    Required,
    /// `FieldValueDuplicate`, "Duplicate value".
    Duplicate,
    /// `FieldValueInvalid`, "Invalid value".
    Invalid,
    /// `FieldValueNotSupported`, "Unsupported value".
    NotSupported,
    /// `FieldValueForbidden`, "Forbidden".
    Forbidden,
    /// `FieldValueTooLong`, "Too long".
    TooLong,
    /// `FieldValueTooMany`, "Too many".
    TooMany,
    /// `InternalError`, "Internal error".
    Internal,
    /// `FieldValueTypeInvalid`, "Invalid value".
    TypeInvalid,
}

impl ErrorType {
    /// `ErrorType.String()`: the words printed before the value.
    pub fn message(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }

    /// The machine-readable value, which is also the `StatusCause.type`.
    pub fn cause_type(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }
}

/// The offending value, typed as the Go value the real code passes, because `ErrorBody` prints
/// each Go type its own way (`%v` for numbers, `%q` for strings, `%#v` for maps, slices, structs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    /// A Go `nil` (or nil pointer): printed as `"null"` (the string `null`, quoted).
    Nil,
    /// `field.omitValue`: only the error type is printed.
    Omit,
    /// Any Go integer: printed as a plain number.
    Int(i64),
    /// A Go bool.
    Bool(bool),
    /// A Go string or named string type: printed `%q`-quoted.
    Str(String),
    /// A `map[string]string`: printed as `map[string]string{"k":"v", ...}`; empty prints as a nil map.
    StringMap(StringMap),
    /// A `[]string`: printed as `[]string{"a", "b"}`; empty prints as a nil slice.
    Strings(Vec<String>),
    /// Any other value, already in Go's `%#v` form (e.g. `core.ServicePort{...}`).
    Raw(String),
}

impl BadValue {
    /// A string value.
    pub fn str(s: &str) -> Self {
        BadValue::Str(s.to_string())
    }
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Nil => f.write_str("\"null\""),
            BadValue::Omit => Ok(()),
            BadValue::Int(n) => write!(f, "{n}"),
            BadValue::Bool(b) => write!(f, "{b}"),
            BadValue::Str(s) => f.write_str(&go_quote(s)),
            BadValue::StringMap(m) => f.write_str(&go_string_map(m)),
            BadValue::Strings(v) => f.write_str(&go_string_slice(v)),
            BadValue::Raw(s) => f.write_str(s),
        }
    }
}

/// Go's `strconv.Quote` (`%q`), shared with the YAML and kind code.
pub use crate::yaml::go_quote;

/// `%#v` of a `map[string]string`: keys sorted (fmt sorts map keys), `", "` between pairs.
pub fn go_string_map(m: &StringMap) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let pairs: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

/// `%#v` of a `[]string`.
pub fn go_string_slice(v: &[String]) -> String {
    if v.is_empty() {
        return "[]string(nil)".to_string();
    }
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// One field-level validation error (`field.Error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Why the field is wrong.
    pub error_type: ErrorType,
    /// The field's path, e.g. `spec.ports[0].nodePort`.
    pub field: String,
    /// The offending value.
    pub bad_value: BadValue,
    /// The explanation after the value.
    pub detail: String,
}

impl FieldError {
    fn new(error_type: ErrorType, path: &FieldPath, bad_value: BadValue, detail: &str) -> Self {
        FieldError {
            error_type,
            field: path.as_str().to_string(),
            bad_value,
            detail: detail.to_string(),
        }
    }

    /// `field.Required(path, detail)`.
    pub fn required(path: &FieldPath, detail: &str) -> Self {
        Self::new(ErrorType::Required, path, BadValue::str(""), detail)
    }

    /// `field.Invalid(path, value, detail)`.
    pub fn invalid(path: &FieldPath, value: BadValue, detail: &str) -> Self {
        Self::new(ErrorType::Invalid, path, value, detail)
    }

    /// `field.Duplicate(path, value)`.
    pub fn duplicate(path: &FieldPath, value: BadValue) -> Self {
        Self::new(ErrorType::Duplicate, path, value, "")
    }

    /// `field.NotFound(path, value)`.
    pub fn not_found(path: &FieldPath, value: BadValue) -> Self {
        Self::new(ErrorType::NotFound, path, value, "")
    }

    /// `field.NotSupported(path, value, valid)`: the detail lists the valid values, quoted, in
    /// the order given (callers pass `sets.List` order, which is sorted, where upstream does).
    pub fn not_supported(path: &FieldPath, value: BadValue, valid: &[&str]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(ErrorType::NotSupported, path, value, &detail)
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(path: &FieldPath, detail: &str) -> Self {
        Self::new(ErrorType::Forbidden, path, BadValue::str(""), detail)
    }

    /// `field.TooLong(path, value, max)`: the v0.33 wording, `may not be more than N bytes`.
    pub fn too_long(path: &FieldPath, max_length: i64) -> Self {
        let detail = if max_length >= 0 {
            format!("may not be more than {max_length} bytes")
        } else {
            "value is too long".to_string()
        };
        Self::new(
            ErrorType::TooLong,
            path,
            BadValue::str("<value omitted>"),
            &detail,
        )
    }

    /// `field.TooMany(path, actual, max)`.
    pub fn too_many(path: &FieldPath, actual: i64, max: i64) -> Self {
        let detail = if max >= 0 {
            format!("must have at most {max} items")
        } else {
            "has too many items".to_string()
        };
        let value = if actual >= 0 {
            BadValue::Int(actual)
        } else {
            BadValue::Omit
        };
        Self::new(ErrorType::TooMany, path, value, &detail)
    }

    /// `field.InternalError(path, err)`.
    pub fn internal(path: &FieldPath, err: &str) -> Self {
        Self::new(ErrorType::Internal, path, BadValue::Nil, err)
    }

    /// `ErrorBody()`: the message without the field name. Required, Forbidden, TooLong and
    /// Internal errors never show the value.
    pub fn error_body(&self) -> String {
        let mut s = match self.error_type {
            ErrorType::Required
            | ErrorType::Forbidden
            | ErrorType::TooLong
            | ErrorType::Internal => self.error_type.message().to_string(),
            _ if self.bad_value == BadValue::Omit => self.error_type.message().to_string(),
            _ => format!("{}: {}", self.error_type.message(), self.bad_value),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.error_body())
    }
}

/// `utilerrors.NewAggregate(list.ToAggregate()).Error()`: one message as is, several
/// de-duplicated in `[a, b]`.
pub fn aggregate_message(errs: &[FieldError]) -> String {
    let mut seen = BTreeSet::new();
    let mut msgs = Vec::new();
    for e in errs {
        let m = e.to_string();
        if seen.insert(m.clone()) {
            msgs.push(m);
        }
    }
    match msgs.len() {
        0 => String::new(),
        1 => msgs.swap_remove(0),
        _ => format!("[{}]", msgs.join(", ")),
    }
}

/// `metav1.StatusReason`: the one-word reason kubectl prints in parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusReason {
    /// 422 `Invalid`.
    Invalid,
    /// 404 `NotFound`.
    NotFound,
    /// 409 `AlreadyExists`.
    AlreadyExists,
    /// 400 `BadRequest`.
    BadRequest,
    /// 500 `InternalError`.
    InternalError,
    /// 409 `Conflict`.
    Conflict,
    /// 403 `Forbidden`.
    Forbidden,
    /// 405 `MethodNotAllowed`.
    MethodNotAllowed,
    /// 401 `Unauthorized`.
    Unauthorized,
}

impl StatusReason {
    /// The reason as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusReason::Invalid => "Invalid",
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::InternalError => "InternalError",
            StatusReason::Conflict => "Conflict",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::MethodNotAllowed => "MethodNotAllowed",
            StatusReason::Unauthorized => "Unauthorized",
        }
    }

    /// The HTTP status code the API server answers with.
    pub fn code(self) -> u16 {
        match self {
            StatusReason::Invalid => 422,
            StatusReason::NotFound => 404,
            StatusReason::AlreadyExists | StatusReason::Conflict => 409,
            StatusReason::BadRequest => 400,
            StatusReason::InternalError => 500,
            StatusReason::Forbidden => 403,
            StatusReason::MethodNotAllowed => 405,
            StatusReason::Unauthorized => 401,
        }
    }
}

/// `metav1.StatusCause`: one cause of an Invalid error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCause {
    /// The cause type, e.g. `FieldValueInvalid`.
    pub cause_type: String,
    /// The message: the field error's body.
    pub message: String,
    /// The field path.
    pub field: String,
}

/// `metav1.StatusDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusDetails {
    /// The object's name.
    pub name: String,
    /// The API group (`apps`), empty for core.
    pub group: String,
    /// The kind (for Invalid) or the resource (for NotFound and others), e.g. `Service`, `namespaces`.
    pub kind: String,
    /// The field causes of an Invalid error.
    pub causes: Vec<StatusCause>,
}

/// An API error (`apierrors.StatusError`): reason, message and details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusError {
    /// The reason.
    pub reason: StatusReason,
    /// The HTTP code.
    pub code: u16,
    /// `status.message`, which `err.Error()` returns.
    pub message: String,
    /// `status.details`.
    pub details: Option<Box<StatusDetails>>,
}

/// `schema.GroupResource.String()` / `GroupKind.String()`: `name` or `name.group`.
fn qualified(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{group}")
    }
}

impl StatusError {
    fn with(reason: StatusReason, message: String, details: Option<StatusDetails>) -> Self {
        StatusError {
            reason,
            code: reason.code(),
            message,
            details: details.map(Box::new),
        }
    }

    /// `NewInvalid(schema.GroupKind{group, kind}, name, errs)`: message `Kind.group "name" is
    /// invalid: <aggregate>`, one cause per field error.
    pub fn invalid(group: &str, kind: &str, name: &str, errs: &[FieldError]) -> Self {
        let causes = errs
            .iter()
            .map(|e| StatusCause {
                cause_type: e.error_type.cause_type().to_string(),
                message: e.error_body(),
                field: e.field.clone(),
            })
            .collect();
        let gk = qualified(kind, group);
        let message = if errs.is_empty() {
            format!("{gk} {} is invalid", go_quote(name))
        } else {
            format!(
                "{gk} {} is invalid: {}",
                go_quote(name),
                aggregate_message(errs)
            )
        };
        Self::with(
            StatusReason::Invalid,
            message,
            Some(StatusDetails {
                name: name.to_string(),
                group: group.to_string(),
                kind: kind.to_string(),
                causes,
            }),
        )
    }

    /// `NewNotFound(schema.GroupResource{group, resource}, name)`: `resource "name" not found`.
    pub fn not_found(group: &str, resource: &str, name: &str) -> Self {
        Self::with(
            StatusReason::NotFound,
            format!(
                "{} {} not found",
                qualified(resource, group),
                go_quote(name)
            ),
            Some(StatusDetails {
                name: name.to_string(),
                group: group.to_string(),
                kind: resource.to_string(),
                causes: Vec::new(),
            }),
        )
    }

    /// `NewAlreadyExists(groupResource, name)`: `resource "name" already exists`.
    pub fn already_exists(group: &str, resource: &str, name: &str) -> Self {
        Self::with(
            StatusReason::AlreadyExists,
            format!(
                "{} {} already exists",
                qualified(resource, group),
                go_quote(name)
            ),
            Some(StatusDetails {
                name: name.to_string(),
                group: group.to_string(),
                kind: resource.to_string(),
                causes: Vec::new(),
            }),
        )
    }

    /// `NewBadRequest(reason)`: the message is the reason text.
    pub fn bad_request(message: &str) -> Self {
        Self::with(StatusReason::BadRequest, message.to_string(), None)
    }

    /// `NewInternalError(err)`: `Internal error occurred: <err>`.
    pub fn internal(err: &str) -> Self {
        Self::with(
            StatusReason::InternalError,
            format!("Internal error occurred: {err}"),
            Some(StatusDetails {
                causes: vec![StatusCause {
                    cause_type: String::new(),
                    message: err.to_string(),
                    field: String::new(),
                }],
                ..Default::default()
            }),
        )
    }

    /// `NewConflict(groupResource, name, err)`: `Operation cannot be fulfilled on resource "name": <err>`.
    pub fn conflict(group: &str, resource: &str, name: &str, err: &str) -> Self {
        Self::with(
            StatusReason::Conflict,
            format!(
                "Operation cannot be fulfilled on {} {}: {err}",
                qualified(resource, group),
                go_quote(name)
            ),
            Some(StatusDetails {
                name: name.to_string(),
                group: group.to_string(),
                kind: resource.to_string(),
                causes: Vec::new(),
            }),
        )
    }

    /// `NewForbidden(groupResource, name, err)`: `resource "name" is forbidden: <err>`, or
    /// `resource is forbidden: <err>` without a name, or `forbidden: <err>` without a resource.
    pub fn forbidden(group: &str, resource: &str, name: &str, err: &str) -> Self {
        let message = if resource.is_empty() && name.is_empty() {
            format!("forbidden: {err}")
        } else if name.is_empty() {
            format!("{} is forbidden: {err}", qualified(resource, group))
        } else {
            format!(
                "{} {} is forbidden: {err}",
                qualified(resource, group),
                go_quote(name)
            )
        };
        Self::with(
            StatusReason::Forbidden,
            message,
            Some(StatusDetails {
                name: name.to_string(),
                group: group.to_string(),
                kind: resource.to_string(),
                causes: Vec::new(),
            }),
        )
    }

    /// `NewMethodNotSupported(groupResource, action)`:
    /// `<action> is not supported on resources of kind "resource"`.
    pub fn method_not_supported(group: &str, resource: &str, action: &str) -> Self {
        Self::with(
            StatusReason::MethodNotAllowed,
            format!(
                "{action} is not supported on resources of kind {}",
                go_quote(&qualified(resource, group))
            ),
            Some(StatusDetails {
                group: group.to_string(),
                kind: resource.to_string(),
                ..Default::default()
            }),
        )
    }

    /// `cmdutil.AddSourceToErr(verb, source, err)`: prefixes the message with
    /// `error when <verb> "<source>": ` (details are kept, so Invalid errors print unchanged).
    pub fn with_source(&self, verb: &str, source: &str) -> Self {
        if source.is_empty() {
            return self.clone();
        }
        let mut e = self.clone();
        e.message = format!("error when {verb} {}: {}", go_quote(source), self.message);
        e
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What kubectl writes to stderr for an API error, ending in a newline.
///
/// `context` is the `(verb, source file)` pair kubectl passes to `AddSourceToErr`, e.g.
/// `("creating", "x.yaml")`. Invalid errors print `The <Kind> "<name>" is invalid: <cause>`, or a
/// header ending in `": "` and one `* cause` line per cause; other errors print
/// `Error from server (<Reason>): <message>` (helpers.go `checkErr` and `StandardErrorMessage`).
pub fn kubectl_error_output(err: &StatusError, context: Option<(&str, &str)>) -> String {
    let err = match context {
        Some((verb, source)) => err.with_source(verb, source),
        None => err.clone(),
    };
    if err.reason == StatusReason::Invalid {
        return kubectl_invalid_output(&err);
    }
    let msg = match err.reason {
        StatusReason::Unauthorized => {
            format!(
                "error: You must be logged in to the server ({})",
                err.message
            )
        }
        reason => format!("Error from server ({}): {}", reason.as_str(), err.message),
    };
    with_newline(msg)
}

/// `checkErr`'s branch for `isInvalidReasonStatusError`.
fn kubectl_invalid_output(err: &StatusError) -> String {
    let details = match &err.details {
        Some(d) => d,
        None => {
            let mut s = "The request is invalid".to_string();
            if !err.message.is_empty() {
                s.push_str(": ");
                s.push_str(&err.message);
            }
            return with_newline(s);
        }
    };
    let mut s = "The request is invalid".to_string();
    if !details.kind.is_empty() || !details.name.is_empty() {
        s = format!(
            "The {} {} is invalid",
            details.kind,
            go_quote(&details.name)
        );
    } else if !err.message.is_empty() && details.causes.is_empty() {
        s.push_str(": ");
        s.push_str(&err.message);
    }
    // statusCausesToAggrError: "field: message", duplicates dropped.
    let mut seen = BTreeSet::new();
    let mut causes = Vec::new();
    for c in &details.causes {
        let m = format!("{}: {}", c.field, c.message);
        if seen.insert(m.clone()) {
            causes.push(m);
        }
    }
    match causes.len() {
        0 => with_newline(s),
        1 => format!("{s}: {}\n", causes.concat()),
        _ => {
            // MultilineError: Fprintln(prefix) then "* cause" lines; the prefix keeps its
            // trailing space.
            let mut out = format!("{s}: \n");
            for c in causes {
                out.push_str("* ");
                out.push_str(&c);
                out.push('\n');
            }
            out
        }
    }
}

/// What kubectl prints for an error that is not an API status: `error: <msg>`.
pub fn kubectl_plain_error(msg: &str) -> String {
    if msg.starts_with("error: ") {
        with_newline(msg.to_string())
    } else {
        with_newline(format!("error: {msg}"))
    }
}

/// kubectl's `fatal` adds a newline when the message lacks one.
fn with_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FieldPath {
        FieldPath::new(s)
    }

    #[test]
    fn paths_render_like_field_path() {
        let path = FieldPath::new("spec")
            .child("ports")
            .index(0)
            .child("nodePort");
        assert_eq!(path.as_str(), "spec.ports[0].nodePort");
        assert_eq!(
            FieldPath::new("metadata")
                .child("labels")
                .key("app")
                .as_str(),
            "metadata.labels[app]"
        );
    }

    #[test]
    fn field_error_bodies_match_errors_go() {
        // Expected strings: KUBERNETES.md §4.3 (output seen in the wild) and field/errors_test.go
        // (`TestErrorUsefulMessage`: quoted strings, %#v maps).
        let labels: StringMap = [("run".to_string(), "app".to_string())].into();
        let cases = [
            (
                FieldError::invalid(
                    &FieldPath::new("spec").child("ports").index(0).child("nodePort"),
                    BadValue::Int(8080),
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                ),
                "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767",
            ),
            (
                FieldError::required(&p("spec.selector"), ""),
                "spec.selector: Required value",
            ),
            (
                FieldError::invalid(
                    &p("spec.template.metadata.labels"),
                    BadValue::StringMap(labels),
                    "`selector` does not match template `labels`",
                ),
                "spec.template.metadata.labels: Invalid value: map[string]string{\"run\":\"app\"}: `selector` does not match template `labels`",
            ),
            (
                FieldError::not_supported(
                    &p("spec.type"),
                    BadValue::str("Foo"),
                    &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
                ),
                "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            ),
            (
                FieldError::duplicate(&p("spec.ports[1].name"), BadValue::str("http")),
                "spec.ports[1].name: Duplicate value: \"http\"",
            ),
            (
                FieldError::forbidden(&p("spec.clusterIPs"), "may not be set for ExternalName services"),
                "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
            ),
            (
                FieldError::too_long(&p("metadata.annotations"), 262144),
                "metadata.annotations: Too long: may not be more than 262144 bytes",
            ),
            (
                FieldError::too_many(&p("endpoints"), 1001, 1000),
                "endpoints: Too many: 1001: must have at most 1000 items",
            ),
            (
                FieldError::too_many(&p("endpoints"), -1, 1000),
                "endpoints: Too many: must have at most 1000 items",
            ),
            (
                FieldError::invalid(&p("x"), BadValue::Nil, "bad"),
                "x: Invalid value: \"null\": bad",
            ),
            (
                FieldError::invalid(
                    &p("spec.clusterIPs"),
                    BadValue::Strings(vec!["10.0.0.5".into()]),
                    "failed",
                ),
                "spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed",
            ),
            (
                FieldError::internal(&p("spec"), "boom"),
                "spec: Internal error: boom",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn go_quote_escapes_like_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("tab\there\n"), "\"tab\\there\\n\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("\u{85}"), "\"\\u0085\"");
        assert_eq!(go_quote("héllo"), "\"héllo\"");
        assert_eq!(go_string_slice(&[]), "[]string(nil)");
        assert_eq!(
            go_string_map(
                &[
                    ("b".to_string(), "2".to_string()),
                    ("a".to_string(), "1".to_string())
                ]
                .into()
            ),
            "map[string]string{\"a\":\"1\", \"b\":\"2\"}"
        );
    }

    #[test]
    fn invalid_errors_print_like_kubectl() {
        // KUBERNETES.md §4.3: "The Service "web" is invalid: spec.ports[0].nodePort: ..."
        let one = StatusError::invalid(
            "",
            "Service",
            "web",
            &[FieldError::invalid(
                &p("spec.ports[0].nodePort"),
                BadValue::Int(30080),
                "provided port is already allocated",
            )],
        );
        assert_eq!(
            one.message,
            "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
        );
        assert_eq!(
            kubectl_error_output(&one, Some(("creating", "svc.yaml"))),
            "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n"
        );
        // Several causes: a header with a trailing space, then "* " lines (KUBERNETES.md §4.3).
        let labels: StringMap = [("run".to_string(), "app".to_string())].into();
        let two = StatusError::invalid(
            "apps",
            "Deployment",
            "nginx",
            &[
                FieldError::required(&p("spec.selector"), ""),
                FieldError::invalid(
                    &p("spec.template.metadata.labels"),
                    BadValue::StringMap(labels),
                    "`selector` does not match template `labels`",
                ),
            ],
        );
        assert!(two
            .message
            .starts_with("Deployment.apps \"nginx\" is invalid: [spec.selector: Required value, "));
        assert_eq!(
            kubectl_error_output(&two, None),
            "The Deployment \"nginx\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"run\":\"app\"}: `selector` does not match template `labels`\n"
        );
    }

    #[test]
    fn other_errors_print_error_from_server() {
        let nf = StatusError::not_found("", "namespaces", "dev");
        assert_eq!(nf.message, "namespaces \"dev\" not found");
        assert_eq!(
            kubectl_error_output(&nf, None),
            "Error from server (NotFound): namespaces \"dev\" not found\n"
        );
        assert_eq!(
            kubectl_error_output(&nf, Some(("creating", "x.yaml"))),
            "Error from server (NotFound): error when creating \"x.yaml\": namespaces \"dev\" not found\n"
        );
        let ae = StatusError::already_exists("apps", "deployments", "web");
        assert_eq!(
            kubectl_error_output(&ae, None),
            "Error from server (AlreadyExists): deployments.apps \"web\" already exists\n"
        );
        let full = StatusError::internal("failed to allocate a nodePort: range is full");
        assert_eq!(
            kubectl_error_output(&full, None),
            "Error from server (InternalError): Internal error occurred: failed to allocate a nodePort: range is full\n"
        );
        let conflict = StatusError::conflict("", "services", "web", "the object has been modified; please apply your changes to the latest version and try again");
        assert_eq!(conflict.code, 409);
        assert!(conflict
            .message
            .starts_with("Operation cannot be fulfilled on services \"web\": "));
        assert_eq!(
            StatusError::forbidden("", "pods", "", "User \"x\" cannot list resource").message,
            "pods is forbidden: User \"x\" cannot list resource"
        );
        assert_eq!(
            StatusError::method_not_supported("", "nodes", "create").message,
            "create is not supported on resources of kind \"nodes\""
        );
        assert_eq!(
            kubectl_error_output(&StatusError::bad_request("bad"), None),
            "Error from server (BadRequest): bad\n"
        );
        assert_eq!(kubectl_plain_error("boom"), "error: boom\n");
        assert_eq!(kubectl_plain_error("error: boom"), "error: boom\n");
    }

    #[test]
    fn duplicate_causes_print_once() {
        let e = FieldError::required(&p("spec.ports"), "");
        let err = StatusError::invalid("", "Service", "s", &[e.clone(), e]);
        assert_eq!(
            err.message,
            "Service \"s\" is invalid: spec.ports: Required value"
        );
        assert_eq!(
            kubectl_error_output(&err, None),
            "The Service \"s\" is invalid: spec.ports: Required value\n"
        );
    }
}
