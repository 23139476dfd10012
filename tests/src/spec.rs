//! Checks what our clients send to (and what our fakes answer for) the Telegram Bot API
//! and the OpenAI API against the providers' own published API descriptions.
//!
//! The fakes only prove something if they reject what the real services would reject, so
//! instead of hand-written expectations the descriptions themselves are embedded (copied
//! verbatim into `tests/specs/`, see the README there) and parsed once per test process.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

const TELEGRAM_SPEC: &str = include_str!("../specs/telegram-bot-api-10.1.api.json");
/// What Bot API 10.3 added that the product uses, in the same shape (see `specs/README.md`).
const TELEGRAM_ADDENDUM: &str = include_str!("../specs/telegram-bot-api-10.3-addendum.json");
const OPENAI_SPEC: &str = include_str!("../specs/openai-openapi-2.3.0.yaml");

/// Parsed once per process (std::sync::OnceLock); cheap to call repeatedly.
pub fn telegram() -> &'static TelegramSpec {
    static SPEC: OnceLock<TelegramSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec = TelegramSpec::parse(TELEGRAM_SPEC)
            .expect("embedded Telegram Bot API description is valid");
        spec.merge(TELEGRAM_ADDENDUM)
            .expect("embedded Telegram Bot API addendum is valid");
        spec
    })
}

/// Parsed once per process (std::sync::OnceLock); cheap to call repeatedly.
pub fn openai() -> &'static OpenAiSpec {
    static SPEC: OnceLock<OpenAiSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        OpenAiSpec::parse(OPENAI_SPEC).expect("embedded OpenAI OpenAPI description is valid")
    })
}

/// Caps how many alternatives of an error are spelled out, so a failed match against a
/// wide union (e.g. 20 InlineQueryResult kinds) stays readable.
const MAX_REPORTED_ALTERNATIVES: usize = 4;

fn describe_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn at(path: &str) -> &str {
    if path.is_empty() { "(top level)" } else { path }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn list_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// How far a value is from one alternative of a union: `None` when it plainly is
/// something else (another JSON kind, another discriminator value), otherwise the number
/// of unknown plus missing keys.
type Distance = Option<usize>;

/// Keeps the most relevant failure reasons of a union: only the closest alternatives are
/// reported, because "user message has unknown key `foo`" is what a reader needs, not five
/// "role is not `system`" lines.
fn union_error(path: &str, failures: Vec<(Distance, String)>) -> String {
    let closest = failures.iter().filter_map(|(distance, _)| *distance).min();
    let mut reasons: Vec<String> = Vec::new();
    for (distance, reason) in failures {
        if (closest.is_none() || distance == closest) && !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    match reasons.len() {
        0 => format!("{}: no value is allowed here", at(path)),
        1 => reasons.remove(0),
        n => {
            let shown = reasons
                .iter()
                .take(MAX_REPORTED_ALTERNATIVES)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" | ");
            let more = n.saturating_sub(MAX_REPORTED_ALTERNATIVES);
            let tail = if more > 0 {
                format!(" | … {more} more")
            } else {
                String::new()
            };
            format!("{}: fits none of {n} alternatives: {shown}{tail}", at(path))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Telegram Bot API
// ---------------------------------------------------------------------------------------

/// The Telegram Bot API description (methods and types) as published for Bot API 10.1.
pub struct TelegramSpec {
    /// Keyed by lower-cased name: the Bot API resolves method names case-insensitively.
    methods: HashMap<String, TgMethod>,
    types: HashMap<String, TgType>,
}

struct TgMethod {
    name: String,
    fields: Vec<TgField>,
}

struct TgField {
    name: String,
    types: Vec<String>,
    required: bool,
    /// Union members are told apart only by prose such as `always "member"`; enforcing it
    /// keeps e.g. a ChatMemberLeft from passing as a ChatMemberMember.
    constant: Option<String>,
}

enum TgType {
    Object(Vec<TgField>),
    Union(Vec<String>),
}

fn tg_fields(raw: &Value, owner: &str, discriminated: bool) -> Result<Vec<TgField>, String> {
    let Some(list) = raw.get("fields") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| format!("{owner}: `fields` is not an array"))?;
    list.iter()
        .map(|f| {
            let name = f
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{owner}: field without a name"))?;
            let types = string_list(f.get("types"), &format!("{owner}.{name}: `types`"))?;
            let required = f
                .get("required")
                .and_then(Value::as_bool)
                .ok_or_else(|| format!("{owner}.{name}: no `required`"))?;
            let constant = if discriminated && types == ["String"] {
                f.get("description")
                    .and_then(Value::as_str)
                    .and_then(always_value)
            } else {
                None
            };
            Ok(TgField {
                name: name.to_owned(),
                types,
                required,
                constant,
            })
        })
        .collect()
}

/// A JSON array of strings; `what` names it in the error.
fn string_list(value: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    value
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{what} is missing or not an array"))?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{what} holds a non-string"))
        })
        .collect()
}

fn merge_fields(existing: &mut Vec<TgField>, added: Vec<TgField>) {
    for field in added {
        match existing.iter_mut().find(|f| f.name == field.name) {
            Some(slot) => *slot = field,
            None => existing.push(field),
        }
    }
}

/// Extracts `X` from a description ending in `always "X"`.
fn always_value(description: &str) -> Option<String> {
    let rest = description.trim_end_matches('.');
    let start = rest.rfind("always \"")? + "always \"".len();
    let value = rest[start..].strip_suffix('"')?;
    (!value.is_empty() && !value.contains('"')).then(|| value.to_owned())
}

fn tg_primitive_fits(name: &str, value: &Value) -> Option<bool> {
    Some(match name {
        "Integer" => value.is_i64() || value.is_u64(),
        "Float" => value.is_number(),
        "String" => value.is_string(),
        "Boolean" => value.is_boolean(),
        // Uploads travel as multipart parts; in JSON they are an `attach://` name, a URL
        // or a file_id.
        "InputFile" => value.is_string(),
        _ => return None,
    })
}

impl TelegramSpec {
    fn parse(text: &str) -> Result<Self, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let raw_methods = root
            .get("methods")
            .and_then(Value::as_object)
            .ok_or("no `methods` object")?;
        let raw_types = root
            .get("types")
            .and_then(Value::as_object)
            .ok_or("no `types` object")?;

        let mut methods = HashMap::new();
        for (name, raw) in raw_methods {
            let method = TgMethod {
                name: name.clone(),
                fields: tg_fields(raw, name, false)?,
            };
            methods.insert(name.to_lowercase(), method);
        }

        let mut types = HashMap::new();
        for (name, raw) in raw_types {
            let parsed = if let Some(subtypes) = raw.get("subtypes") {
                TgType::Union(string_list(Some(subtypes), &format!("{name}: `subtypes`"))?)
            } else {
                TgType::Object(tg_fields(raw, name, raw.get("subtype_of").is_some())?)
            };
            types.insert(name.clone(), parsed);
        }
        Ok(Self { methods, types })
    }

    /// Adds a later Bot API version's additions (same JSON shape as the full description):
    /// fields of known methods and types are added or replaced by name, unknown ones are added
    /// whole. Needed because the machine-readable description lags behind the published API.
    fn merge(&mut self, text: &str) -> Result<(), String> {
        let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let empty = Map::new();
        let section = |key: &str| -> Result<&Map<String, Value>, String> {
            match root.get(key) {
                None => Ok(&empty),
                Some(v) => v
                    .as_object()
                    .ok_or_else(|| format!("`{key}` is not an object")),
            }
        };
        for (name, raw) in section("methods")? {
            let fields = tg_fields(raw, name, false)?;
            match self.methods.get_mut(&name.to_lowercase()) {
                Some(method) => merge_fields(&mut method.fields, fields),
                None => {
                    self.methods.insert(
                        name.to_lowercase(),
                        TgMethod {
                            name: name.clone(),
                            fields,
                        },
                    );
                }
            }
        }
        for (name, raw) in section("types")? {
            if raw.get("subtypes").is_some() {
                return Err(format!("{name}: the addendum cannot change unions"));
            }
            let fields = tg_fields(raw, name, raw.get("subtype_of").is_some())?;
            match self.types.get_mut(name) {
                Some(TgType::Object(existing)) => merge_fields(existing, fields),
                Some(TgType::Union(_)) => {
                    return Err(format!("{name}: is a union, cannot add fields"));
                }
                None => {
                    self.types.insert(name.clone(), TgType::Object(fields));
                }
            }
        }
        Ok(())
    }

    /// The declared types of one parameter (e.g. `["Integer", "String"]` for `chat_id`), so a
    /// stand-in can read form fields, which are always text, the way the Bot API does.
    pub fn param_types(&self, method: &str, param: &str) -> Option<&[String]> {
        self.methods
            .get(&method.to_lowercase())?
            .fields
            .iter()
            .find(|f| f.name == param)
            .map(|f| f.types.as_slice())
    }

    /// `params` is the JSON object a client sends to `https://api.telegram.org/bot<token>/<method>`
    /// (method name is case-insensitive on Telegram's side; compare case-insensitively).
    /// Err explains exactly what is wrong: unknown method, missing required parameter,
    /// unknown parameter, or a value whose JSON type does not fit the declared types.
    /// A parameter of object or array type may also be sent JSON-serialised as a string.
    pub fn check_request(&self, method: &str, params: &Value) -> Result<(), String> {
        let spec = self
            .methods
            .get(&method.to_lowercase())
            .ok_or_else(|| format!("unknown Telegram Bot API method `{method}`"))?;
        let empty = Map::new();
        let params = match params {
            // A parameterless call (getMe) is commonly sent without a body.
            Value::Null => &empty,
            Value::Object(map) => map,
            other => {
                return Err(format!(
                    "{}: parameters must be a JSON object, got {}",
                    spec.name,
                    describe_kind(other)
                ));
            }
        };
        for field in spec.fields.iter().filter(|f| f.required) {
            if !params.contains_key(&field.name) {
                return Err(format!(
                    "{}: missing required parameter `{}`",
                    spec.name, field.name
                ));
            }
        }
        for (key, value) in params {
            let Some(field) = spec.fields.iter().find(|f| &f.name == key) else {
                return Err(format!(
                    "{}: unknown parameter `{key}` (known: {})",
                    spec.name,
                    list_names(spec.fields.iter().map(|f| f.name.as_str()))
                ));
            };
            let direct = self.check_alternatives(&field.types, value, key);
            let Err(direct_error) = direct else {
                continue;
            };
            // Telegram accepts "JSON-serialized" objects and arrays as string values, which is
            // how form-encoded clients (and some JSON ones) send reply_markup, entities, media.
            let structured = field
                .types
                .iter()
                .any(|t| tg_primitive_fits(t, &Value::Null).is_none());
            let (Value::String(text), true) = (value, structured) else {
                return Err(format!("{}: {direct_error}", spec.name));
            };
            match serde_json::from_str::<Value>(text) {
                Ok(inner) if inner.is_object() || inner.is_array() => self
                    .check_alternatives(&field.types, &inner, key)
                    .map_err(|e| format!("{}: {e} (in JSON-serialised string)", spec.name))?,
                _ => {
                    return Err(format!(
                        "{}: {key}: a string here must hold a JSON-serialised {}, got {value}",
                        spec.name,
                        field.types.join(" or ")
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn has_method(&self, method: &str) -> bool {
        self.methods.contains_key(&method.to_lowercase())
    }

    /// Checks a result object returned to a client (e.g. the `result` of getChatMember) fits the
    /// named type; used to check our recorded payloads are realistic. Unknown fields in results
    /// ARE errors here too. `type_name` may also be an expression such as `Array of Update`.
    pub fn check_type(&self, type_name: &str, value: &Value) -> Result<(), String> {
        self.check_expr(type_name, value, "")
    }

    fn check_alternatives(
        &self,
        types: &[String],
        value: &Value,
        path: &str,
    ) -> Result<(), String> {
        let mut failures = Vec::new();
        for expr in types {
            match self.check_expr(expr, value, path) {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((self.distance(expr, value), e)),
            }
        }
        Err(union_error(path, failures))
    }

    fn check_expr(&self, expr: &str, value: &Value, path: &str) -> Result<(), String> {
        if let Some(inner) = expr.strip_prefix("Array of ") {
            let Value::Array(items) = value else {
                return Err(format!(
                    "{}: expected {expr}, got {}",
                    at(path),
                    describe_kind(value)
                ));
            };
            return items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| self.check_expr(inner, item, &format!("{path}[{i}]")));
        }
        if let Some(fits) = tg_primitive_fits(expr, value) {
            return if fits {
                Ok(())
            } else {
                Err(format!(
                    "{}: expected {expr}, got {}",
                    at(path),
                    describe_kind(value)
                ))
            };
        }
        match self.types.get(expr) {
            None => Err(format!("{}: unknown Telegram type `{expr}`", at(path))),
            Some(TgType::Union(alternatives)) => self.check_alternatives(alternatives, value, path),
            Some(TgType::Object(fields)) => {
                let Value::Object(map) = value else {
                    return Err(format!(
                        "{}: expected {expr} object, got {}",
                        at(path),
                        describe_kind(value)
                    ));
                };
                for field in fields.iter().filter(|f| f.required) {
                    if !map.contains_key(&field.name) {
                        return Err(format!(
                            "{}: {expr} is missing required field `{}`",
                            at(path),
                            field.name
                        ));
                    }
                }
                for (key, item) in map {
                    let Some(field) = fields.iter().find(|f| &f.name == key) else {
                        return Err(format!(
                            "{}: unknown field `{key}` for {expr} (known: {})",
                            at(path),
                            list_names(fields.iter().map(|f| f.name.as_str()))
                        ));
                    };
                    let item_path = child(path, key);
                    if let Some(constant) = &field.constant
                        && item.as_str() != Some(constant.as_str())
                    {
                        return Err(format!(
                            "{item_path}: {expr} requires \"{constant}\", got {item}"
                        ));
                    }
                    self.check_alternatives(&field.types, item, &item_path)?;
                }
                Ok(())
            }
        }
    }

    /// How close `value` is to `expr`, used only to pick which failures of a union to report.
    fn distance(&self, expr: &str, value: &Value) -> Distance {
        if expr.starts_with("Array of ") {
            return value.is_array().then_some(0);
        }
        // A fractional number for an Integer is a near miss worth reporting, not another kind.
        let fits = match expr {
            "Integer" | "Float" => Some(value.is_number()),
            _ => tg_primitive_fits(expr, value),
        };
        if let Some(fits) = fits {
            return fits.then_some(0);
        }
        match (self.types.get(expr), value) {
            (Some(TgType::Union(alternatives)), _) => alternatives
                .iter()
                .filter_map(|a| self.distance(a, value))
                .min(),
            (Some(TgType::Object(fields)), Value::Object(map)) => {
                let discriminator_differs = fields.iter().any(|f| {
                    matches!((&f.constant, map.get(&f.name)),
                        (Some(constant), Some(actual)) if actual.as_str() != Some(constant.as_str()))
                });
                if discriminator_differs {
                    return None;
                }
                let unknown = map
                    .keys()
                    .filter(|k| !fields.iter().any(|f| &f.name == *k))
                    .count();
                let missing = fields
                    .iter()
                    .filter(|f| f.required && !map.contains_key(&f.name))
                    .count();
                Some(unknown + missing)
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// multipart/form-data
// ---------------------------------------------------------------------------------------

/// One part of a multipart/form-data body, bytes as sent (uploads are binary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    /// Present for file uploads.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl FormPart {
    /// The value of a text field (lossy for non-UTF-8 bytes).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Splits `key=value; key="quoted; value"` header parameters, honouring quotes.
fn header_params(value: &str) -> Vec<(String, String)> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    pieces.push(current);
    pieces
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect()
}

/// Parses a multipart/form-data body (RFC 7578) on bytes, so binary uploads such as Ogg
/// files arrive intact.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<FormPart>, String> {
    let boundary = header_params(content_type)
        .into_iter()
        .find(|(k, _)| k == "boundary")
        .map(|(_, v)| v)
        .filter(|b| !b.is_empty())
        .ok_or("multipart body without a boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut at = find_bytes(body, &delimiter, 0).ok_or("multipart body without its boundary")?
        + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding may follow a delimiter before its line break.
        let line_end = find_bytes(body, b"\r\n", at).ok_or("malformed multipart delimiter")?;
        let start = line_end + 2;
        let end = find_bytes(body, &next_delimiter, start)
            .ok_or("multipart body without a closing boundary")?;
        let part = &body[start..end];
        let (head, content) = if part.starts_with(b"\r\n") {
            (&part[..0], &part[2..])
        } else {
            let split = find_bytes(part, b"\r\n\r\n", 0).ok_or("malformed part")?;
            (&part[..split], &part[split + 4..])
        };
        let head = String::from_utf8_lossy(head);
        let header = |name: &str| {
            head.split("\r\n").find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let disposition =
            header("content-disposition").ok_or("part without Content-Disposition")?;
        let params = header_params(&disposition);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        parts.push(FormPart {
            name: param("name").ok_or("part without a name")?,
            file_name: param("filename"),
            content_type: header("content-type"),
            bytes: content.to_vec(),
        });
        at = end + next_delimiter.len();
    }
}

/// The readings of a text form field, most literal first.
fn form_candidates(texts: &[String], many: bool) -> Vec<Value> {
    let readings = |text: &String| {
        let mut values = vec![Value::String(text.clone())];
        if let Ok(parsed) = serde_json::from_str::<Value>(text) {
            values.push(parsed);
        }
        values
    };
    if many {
        let literal = texts.iter().map(|t| Value::String(t.clone())).collect();
        let parsed = texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.clone())))
            .collect();
        return vec![Value::Array(literal), Value::Array(parsed)];
    }
    let Some(text) = texts.first() else {
        return vec![Value::Null];
    };
    let mut values = readings(text);
    let single: Vec<Value> = values
        .iter()
        .map(|v| Value::Array(vec![v.clone()]))
        .collect();
    values.extend(single);
    values
}

// ---------------------------------------------------------------------------------------
// OpenAI (OpenAPI 3.1)
// ---------------------------------------------------------------------------------------

/// How thoroughly a body is compared with its schema.
#[derive(Clone, Copy)]
struct Strictness {
    /// Objects and arrays nested deeper than this are taken as they are.
    max_depth: usize,
    /// The live API reports unset optional fields as `null` even where the schema (often
    /// shared with the request) does not say `nullable`, e.g. `user` in a Response.
    optional_may_be_null: bool,
}

/// Request bodies are what our own code sends, so they are checked thoroughly.
const REQUEST: Strictness = Strictness {
    max_depth: 6,
    optional_may_be_null: false,
};
/// Responses are checked at the top level only: the description lags behind what the live
/// API puts in nested objects (e.g. o3-mini omits `choices[].logprobs`, which it requires),
/// and the fakes only need the envelope to be right.
const RESPONSE: Strictness = Strictness {
    max_depth: 1,
    optional_may_be_null: true,
};
/// Whole objects we generate ourselves (streamed chunks) are checked as deep as requests;
/// only the live API's habit of sending `null` for unset optional fields is excused.
const COMPONENT: Strictness = Strictness {
    max_depth: 6,
    optional_may_be_null: true,
};
/// Bounds `$ref`/composition chains, which never legitimately nest this deep.
const MAX_EXPANSION_NESTING: u32 = 48;
/// Bounds the cross product of `allOf` branches that themselves are unions.
const MAX_VIEWS: usize = 512;

/// Top-level keys the live API returns although the description omits them, by path
/// template. Each was seen in a real recorded response (shared fixtures
/// `openai/11-responses-response-output-text.json`, `openai/22-transcription-verbose-json.json`);
/// without this a faithful fake would be flagged as unrealistic.
const UNDOCUMENTED_RESPONSE_KEYS: &[(&str, &[&str])] = &[
    ("/responses", &["store"]),
    ("/responses/{response_id}", &["store"]),
    ("/responses/{response_id}/cancel", &["store"]),
    ("/audio/transcriptions", &["task"]),
];

struct Operation<'a> {
    /// `METHOD /template`, the prefix of every error about this operation.
    label: String,
    template: &'a str,
    operation: &'a Value,
    path_item: &'a Value,
}

/// The OpenAI API description (OpenAPI 3.1, as published by OpenAI, version 2.3.0).
pub struct OpenAiSpec {
    root: Value,
    /// Path templates split into segments; `None` stands for a `{parameter}`.
    paths: Vec<(Vec<Option<String>>, String)>,
}

#[derive(Clone, Copy, Default)]
enum Additional<'a> {
    /// Not declared: most OpenAI schemas omit `additionalProperties` although the API
    /// rejects unknown keys, so this is strict unless no properties are declared at all.
    #[default]
    Unspecified,
    Forbidden,
    Allowed,
    Schema(&'a Value),
}

/// One alternative of a schema with all `$ref`/`allOf` flattened into it and every
/// `oneOf`/`anyOf` choice made. Property schemas stay unexpanded until a value needs them.
#[derive(Clone, Default)]
struct View<'a> {
    ty: Option<&'a str>,
    props: BTreeMap<&'a str, &'a Value>,
    required: BTreeSet<&'a str>,
    additional: Additional<'a>,
    allowed: Option<Vec<&'a Value>>,
    items: Option<&'a Value>,
    /// The schema `$recursiveRef: "#"` points back to (used by the vector-store filters).
    anchor: Option<&'a Value>,
}

fn merge_types<'a>(a: Option<&'a str>, b: Option<&'a str>) -> Option<Option<&'a str>> {
    match (a, b) {
        (None, t) | (t, None) => Some(t),
        (Some(x), Some(y)) if x == y => Some(Some(x)),
        (Some("integer"), Some("number")) | (Some("number"), Some("integer")) => {
            Some(Some("integer"))
        }
        _ => None,
    }
}

/// Conjunction of two alternatives, or None when no value could satisfy both.
fn merge<'a>(a: &View<'a>, b: &View<'a>) -> Option<View<'a>> {
    let ty = merge_types(a.ty, b.ty)?;
    let mut props = a.props.clone();
    // A later allOf branch re-declaring a property is the more specific schema
    // (e.g. CreateChatCompletionRequest narrowing ModelResponseProperties), so it wins.
    props.extend(b.props.iter().map(|(k, v)| (*k, *v)));
    let required = a.required.union(&b.required).copied().collect();
    let additional = match (a.additional, b.additional) {
        (Additional::Allowed, _) | (_, Additional::Allowed) => Additional::Allowed,
        (Additional::Schema(s), _) | (_, Additional::Schema(s)) => Additional::Schema(s),
        (Additional::Forbidden, _) | (_, Additional::Forbidden) => Additional::Forbidden,
        _ => Additional::Unspecified,
    };
    let allowed = match (&a.allowed, &b.allowed) {
        (Some(x), Some(y)) => {
            let both: Vec<&Value> = x.iter().copied().filter(|v| y.contains(v)).collect();
            if both.is_empty() {
                return None;
            }
            Some(both)
        }
        (x, y) => x.clone().or_else(|| y.clone()),
    };
    Some(View {
        ty,
        props,
        required,
        additional,
        allowed,
        items: b.items.or(a.items),
        anchor: b.anchor.or(a.anchor),
    })
}

fn kind_fits(ty: &str, value: &Value) -> bool {
    match ty {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// The spec's one integer literal outside the i64 range (`seed`'s minimum/maximum) makes
/// the YAML reader fail; rewritten as a float it means the same to this checker.
fn patch_out_of_range_integers(text: &str) -> String {
    text.replace("9223372036854776000", "9.223372036854776e+18")
}

impl OpenAiSpec {
    fn parse(text: &str) -> Result<Self, String> {
        let root: Value = serde_yaml_ng::from_str(&patch_out_of_range_integers(text))
            .map_err(|e| e.to_string())?;
        let paths = root
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("no `paths` object")?
            .keys()
            // `/responses?beta=true` and the like duplicate a plain path for SDK generators.
            .filter(|template| !template.contains('?'))
            .map(|template| {
                let segments = template
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                (segments, template.clone())
            })
            .collect();
        Ok(Self { root, paths })
    }

    /// `path` as the client sends it, with or without the `/v1` prefix (e.g. "/v1/chat/completions");
    /// http_method "POST"/"GET". Err on: unknown path/method, missing required top-level property,
    /// unknown top-level property (when the schema does not allow additionalProperties), and
    /// likewise for nested objects and array items down to a fixed depth — so each element of
    /// `messages` must match one of the message variants by `role`, with no unknown keys and
    /// required keys present. For operations without a request body, an object `body` is read as
    /// the query parameters.
    pub fn check_request(&self, http_method: &str, path: &str, body: &Value) -> Result<(), String> {
        let Operation {
            label,
            operation,
            path_item,
            ..
        } = self.operation(http_method, path)?;
        let Some(request_body) = operation.get("requestBody") else {
            return self.check_query(&label, operation, path_item, body);
        };
        let request_body = self.deref(request_body);
        let required = request_body.get("required").and_then(Value::as_bool) == Some(true);
        if body.is_null() {
            return if required {
                Err(format!("{label}: a request body is required"))
            } else {
                Ok(())
            };
        }
        let schema = Self::content_schema(request_body)
            .ok_or_else(|| format!("{label}: the description has no request body schema"))?;
        self.check_schema(schema, None, body, 0, REQUEST, "")
            .map_err(|e| format!("{label}: {e}"))
    }

    /// Check a response body against the documented 200 response schema's top-level properties
    /// (e.g. CreateChatCompletionResponse): required present, no unknown top-level keys, and
    /// top-level values of the documented JSON type. Two gaps of the description that real
    /// responses show are excused: `null` for an optional key, and the few keys listed in
    /// `UNDOCUMENTED_RESPONSE_KEYS`.
    pub fn check_response(
        &self,
        http_method: &str,
        path: &str,
        body: &Value,
    ) -> Result<(), String> {
        let Operation {
            label,
            template,
            operation,
            ..
        } = self.operation(http_method, path)?;
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{label}: the description lists no responses"))?;
        let success = responses
            .get("200")
            .or_else(|| {
                responses
                    .iter()
                    .find(|(code, _)| code.starts_with('2'))
                    .map(|(_, r)| r)
            })
            .ok_or_else(|| format!("{label}: the description has no success response"))?;
        let schema = Self::content_schema(self.deref(success))
            .ok_or_else(|| format!("{label}: the success response has no JSON schema"))?;
        let undocumented = UNDOCUMENTED_RESPONSE_KEYS
            .iter()
            .filter(|(t, _)| *t == template)
            .flat_map(|(_, keys)| keys.iter());
        let mut trimmed = body.clone();
        if let Value::Object(map) = &mut trimmed {
            for key in undocumented {
                map.remove(*key);
            }
        }
        self.check_schema(schema, None, &trimmed, 0, RESPONSE, "")
            .map_err(|e| format!("{label}: {e} (response)"))
    }

    /// Checks a multipart/form-data request (e.g. `POST /v1/audio/transcriptions`) against the
    /// operation's multipart schema: required fields present, no unknown fields, files only
    /// where the schema has a binary string, and every text field readable as its declared
    /// type. Form fields are always text, so each one is read the way the API reads it: as the
    /// string itself, as JSON (numbers, booleans, serialised objects), or, for `name[]` and
    /// repeated names, as an array of such items.
    pub fn check_multipart(
        &self,
        http_method: &str,
        path: &str,
        parts: &[FormPart],
    ) -> Result<(), String> {
        let Operation {
            label, operation, ..
        } = self.operation(http_method, path)?;
        let schema = operation
            .get("requestBody")
            .map(|body| self.deref(body))
            .and_then(|body| body.get("content"))
            .and_then(|content| content.get("multipart/form-data"))
            .and_then(|media| media.get("schema"))
            .ok_or_else(|| format!("{label}: takes no multipart/form-data body"))?;
        let mut grouped: Vec<(&str, bool, Vec<&FormPart>)> = Vec::new();
        for part in parts {
            let (name, listed) = match part.name.strip_suffix("[]") {
                Some(base) => (base, true),
                None => (part.name.as_str(), false),
            };
            match grouped.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, many, group)) => {
                    *many = true;
                    group.push(part);
                }
                None => grouped.push((name, listed, vec![part])),
            }
        }
        let mut failures = Vec::new();
        for view in self.expand(schema, None, 0) {
            let attempt = self
                .form_object(&view, &grouped)
                .and_then(|object| self.check_view(&view, &object, 0, REQUEST, ""));
            match attempt {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((Some(0), e)),
            }
        }
        Err(format!(
            "{label}: {} (multipart)",
            union_error("", failures)
        ))
    }

    /// The JSON object a form stands for under one alternative of the schema.
    fn form_object(
        &self,
        view: &View<'_>,
        grouped: &[(&str, bool, Vec<&FormPart>)],
    ) -> Result<Value, String> {
        let mut object = Map::new();
        for (name, many, group) in grouped {
            let schema = view.props.get(name).copied();
            let binary = schema.is_some_and(|s| {
                self.deref(s).get("format").and_then(Value::as_str) == Some("binary")
            });
            for part in group {
                match (&part.file_name, binary) {
                    (Some(_), false) if schema.is_some() => {
                        return Err(format!("`{name}` must be a text field, not a file upload"));
                    }
                    (None, true) => {
                        return Err(format!("`{name}` must be a file upload, not a text field"));
                    }
                    _ => {}
                }
            }
            let value = if binary {
                let names: Vec<Value> = group
                    .iter()
                    .map(|p| Value::String(p.file_name.clone().unwrap_or_default()))
                    .collect();
                if *many {
                    Value::Array(names)
                } else {
                    names.into_iter().next().unwrap_or(Value::Null)
                }
            } else {
                let texts: Vec<String> = group.iter().map(|p| p.text()).collect();
                let candidates = form_candidates(&texts, *many);
                let fits = |candidate: &Value| {
                    schema.is_none_or(|s| {
                        self.check_schema(s, view.anchor, candidate, 1, REQUEST, name)
                            .is_ok()
                    })
                };
                let chosen = candidates.iter().position(fits).unwrap_or(0);
                candidates.into_iter().nth(chosen).unwrap_or(Value::Null)
            };
            object.insert((*name).to_owned(), value);
        }
        Ok(Value::Object(object))
    }

    /// Checks a value against one named schema of the description (e.g. the streamed
    /// `CreateChatCompletionStreamResponse`, which no operation's JSON response names), as
    /// thoroughly as a request but with the live API's `null` for unset optional fields.
    pub fn check_component(&self, schema_name: &str, value: &Value) -> Result<(), String> {
        let pointer = format!("#/components/schemas/{schema_name}");
        let schema = self
            .resolve(&pointer)
            .ok_or_else(|| format!("no schema `{schema_name}` in the description"))?;
        self.check_schema(schema, None, value, 0, COMPONENT, "")
            .map_err(|e| format!("{schema_name}: {e}"))
    }

    /// Checks one event of a streamed Responses API answer against `ResponseStreamEvent`,
    /// excusing what the live API sends undocumented (recorded `openai/14-responses-stream.sse`):
    /// `obfuscation` on text deltas and `store` on the response objects.
    pub fn check_response_stream_event(&self, event: &Value) -> Result<(), String> {
        let mut trimmed = event.clone();
        if let Some(map) = trimmed.as_object_mut() {
            map.remove("obfuscation");
            if let Some(response) = map.get_mut("response").and_then(Value::as_object_mut) {
                response.remove("store");
            }
        }
        self.check_component("ResponseStreamEvent", &trimmed)
    }

    fn operation(&self, http_method: &str, path: &str) -> Result<Operation<'_>, String> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path
            .strip_prefix("/v1")
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(path);
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let template = self
            .paths
            .iter()
            .filter(|(pattern, _)| {
                pattern.len() == segments.len()
                    && pattern
                        .iter()
                        .zip(&segments)
                        .all(|(p, s)| p.as_deref().is_none_or(|literal| literal == *s))
            })
            // A literal such as `/responses/compact` must beat `/responses/{response_id}`.
            .min_by_key(|(pattern, _)| pattern.iter().filter(|p| p.is_none()).count())
            .map(|(_, template)| template)
            .ok_or_else(|| format!("unknown OpenAI API path `{path}`"))?;
        let path_item = &self.root["paths"][template.as_str()];
        let method = http_method.to_lowercase();
        let operation = path_item.get(&method).ok_or_else(|| {
            let known = path_item
                .as_object()
                .map(|o| {
                    list_names(
                        o.keys()
                            .map(String::as_str)
                            .filter(|k| ["get", "post", "put", "patch", "delete"].contains(k)),
                    )
                })
                .unwrap_or_default();
            format!("{template} does not accept {http_method} (it accepts: {known})")
        })?;
        Ok(Operation {
            label: format!("{} {template}", http_method.to_uppercase()),
            template,
            operation,
            path_item,
        })
    }

    fn check_query(
        &self,
        label: &str,
        operation: &Value,
        path_item: &Value,
        body: &Value,
    ) -> Result<(), String> {
        fn name_of<'v>(parameter: &&'v Value) -> &'v str {
            parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
        }

        let query = match body {
            Value::Null => return Ok(()),
            Value::Object(map) => map,
            other => {
                return Err(format!(
                    "{label}: takes no request body, got {}",
                    describe_kind(other)
                ));
            }
        };
        let parameters: Vec<&Value> = [operation, path_item]
            .iter()
            .filter_map(|o| o.get("parameters").and_then(Value::as_array))
            .flatten()
            .map(|p| self.deref(p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .collect();
        for p in &parameters {
            if p.get("required").and_then(Value::as_bool) == Some(true)
                && !query.contains_key(name_of(p))
            {
                return Err(format!(
                    "{label}: missing required query parameter `{}`",
                    name_of(p)
                ));
            }
        }
        for key in query.keys() {
            if !parameters.iter().any(|p| name_of(p) == key) {
                return Err(format!(
                    "{label}: takes no request body and has no query parameter `{key}` (known: {})",
                    list_names(parameters.iter().map(name_of))
                ));
            }
        }
        Ok(())
    }

    fn content_schema(holder: &Value) -> Option<&Value> {
        let content = holder.get("content")?.as_object()?;
        ["application/json", "multipart/form-data"]
            .iter()
            .find_map(|mime| content.get(*mime))
            .or_else(|| content.values().next())?
            .get("schema")
    }

    fn resolve(&self, reference: &str) -> Option<&Value> {
        self.root.pointer(reference.strip_prefix('#')?)
    }

    /// Follows `$ref`s of request bodies, responses and parameters.
    fn deref<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..MAX_EXPANSION_NESTING {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.resolve(r))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    /// The single value a schema pins a property to (`enum: [x]` or `const: x`), which is
    /// how OpenAI discriminates `role`/`type` unions.
    fn pinned_value<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        let schema = self.deref(schema);
        if let Some(constant) = schema.get("const") {
            return Some(constant);
        }
        match schema
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => Some(only),
            _ => None,
        }
    }

    /// How close `value` is to `view`, used only to pick which failures of a union to report.
    fn distance(&self, view: &View<'_>, value: &Value) -> Distance {
        // A fractional number for an integer is a near miss worth reporting, not another kind.
        let kind = view.ty.map(|t| if t == "integer" { "number" } else { t });
        if kind.is_some_and(|t| !kind_fits(t, value)) {
            return None;
        }
        let Value::Object(map) = value else {
            return Some(0);
        };
        let discriminator_differs = view.props.iter().any(|(key, schema)| {
            matches!((self.pinned_value(schema), map.get(*key)),
                (Some(pinned), Some(actual)) if pinned != actual)
        });
        if discriminator_differs {
            return None;
        }
        let strict = matches!(
            view.additional,
            Additional::Unspecified | Additional::Forbidden
        ) && !view.props.is_empty();
        let unknown = if strict {
            map.keys()
                .filter(|k| !view.props.contains_key(k.as_str()))
                .count()
        } else {
            0
        };
        let missing = view
            .required
            .iter()
            .filter(|k| !map.contains_key(**k))
            .count();
        Some(unknown + missing)
    }

    fn own_views<'a>(obj: &'a Map<String, Value>, anchor: Option<&'a Value>) -> Vec<View<'a>> {
        let mut base = View {
            anchor,
            ..View::default()
        };
        if let Some(Value::Object(props)) = obj.get("properties") {
            base.props = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            base.required = required.iter().filter_map(Value::as_str).collect();
        }
        base.additional = match obj.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Bool(true)) => Additional::Allowed,
            Some(Value::Object(o)) if o.is_empty() => Additional::Allowed,
            Some(schema) => Additional::Schema(schema),
        };
        if let Some(constant) = obj.get("const") {
            base.allowed = Some(vec![constant]);
        } else if let Some(Value::Array(values)) = obj.get("enum") {
            base.allowed = Some(values.iter().collect());
        }
        base.items = obj.get("items");
        match obj.get("type") {
            Some(Value::String(t)) => {
                base.ty = Some(t.as_str());
                vec![base]
            }
            // OpenAPI 3.1 allows `type: [string, "null"]`.
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .map(|t| View {
                    ty: Some(t),
                    ..base.clone()
                })
                .collect(),
            _ => vec![base],
        }
    }

    fn expand<'a>(
        &'a self,
        schema: &'a Value,
        anchor: Option<&'a Value>,
        nesting: u32,
    ) -> Vec<View<'a>> {
        let any = || {
            vec![View {
                anchor,
                ..View::default()
            }]
        };
        let obj = match schema {
            Value::Object(obj) if nesting < MAX_EXPANSION_NESTING => obj,
            Value::Bool(false) => return Vec::new(),
            _ => return any(),
        };
        let anchor = if obj.get("$recursiveAnchor") == Some(&Value::Bool(true)) {
            Some(schema)
        } else {
            anchor
        };

        let mut conjuncts: Vec<Vec<View<'a>>> = Vec::new();
        const OWN_KEYWORDS: [&str; 7] = [
            "type",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "enum",
            "const",
        ];
        if OWN_KEYWORDS.iter().any(|k| obj.contains_key(*k)) {
            conjuncts.push(Self::own_views(obj, anchor));
        }
        if let Some(target) = obj
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.resolve(r))
        {
            conjuncts.push(self.expand(target, anchor, nesting + 1));
        }
        if obj.contains_key("$recursiveRef")
            && let Some(target) = anchor
        {
            conjuncts.push(self.expand(target, anchor, nesting + 1));
        }
        if let Some(Value::Array(branches)) = obj.get("allOf") {
            for branch in branches {
                conjuncts.push(self.expand(branch, anchor, nesting + 1));
            }
        }
        for union in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = obj.get(union) {
                conjuncts.push(
                    alternatives
                        .iter()
                        .flat_map(|a| self.expand(a, anchor, nesting + 1))
                        .collect(),
                );
            }
        }

        let mut views = any();
        for conjunct in conjuncts {
            let mut next = Vec::new();
            'product: for a in &views {
                for b in &conjunct {
                    if let Some(merged) = merge(a, b) {
                        next.push(merged);
                        if next.len() >= MAX_VIEWS {
                            break 'product;
                        }
                    }
                }
            }
            views = next;
        }
        // Some schemas carry `nullable` with no `type` (or next to a `$ref`/`oneOf`); it must
        // admit null whatever the rest says, so it is an extra alternative, not a conjunct.
        if obj.get("nullable") == Some(&Value::Bool(true)) {
            views.push(View {
                ty: Some("null"),
                anchor,
                ..View::default()
            });
        }
        views
    }

    fn check_schema(
        &self,
        schema: &Value,
        anchor: Option<&Value>,
        value: &Value,
        depth: usize,
        strictness: Strictness,
        path: &str,
    ) -> Result<(), String> {
        let views = self.expand(schema, anchor, 0);
        let mut failures = Vec::new();
        for view in &views {
            match self.check_view(view, value, depth, strictness, path) {
                Ok(()) => return Ok(()),
                Err(e) => failures.push((self.distance(view, value), e)),
            }
        }
        Err(union_error(path, failures))
    }

    fn check_view(
        &self,
        view: &View<'_>,
        value: &Value,
        depth: usize,
        strictness: Strictness,
        path: &str,
    ) -> Result<(), String> {
        if let Some(ty) = view.ty
            && !kind_fits(ty, value)
        {
            return Err(format!(
                "{}: expected {ty}, got {}",
                at(path),
                describe_kind(value)
            ));
        }
        if let Some(allowed) = &view.allowed
            && !allowed.contains(&value)
        {
            let shown: Vec<String> = allowed.iter().map(ToString::to_string).collect();
            return Err(format!(
                "{}: {value} is not one of {}",
                at(path),
                shown.join(", ")
            ));
        }
        if depth >= strictness.max_depth {
            return Ok(());
        }
        match value {
            Value::Object(map) => {
                for key in &view.required {
                    if !map.contains_key(*key) {
                        return Err(format!("{}: missing required property `{key}`", at(path)));
                    }
                }
                for (key, item) in map {
                    let item_path = child(path, key);
                    if item.is_null()
                        && strictness.optional_may_be_null
                        && !view.required.contains(key.as_str())
                    {
                        continue;
                    }
                    if let Some(schema) = view.props.get(key.as_str()) {
                        self.check_schema(
                            schema,
                            view.anchor,
                            item,
                            depth + 1,
                            strictness,
                            &item_path,
                        )?;
                        continue;
                    }
                    match view.additional {
                        Additional::Allowed => {}
                        Additional::Schema(schema) => self.check_schema(
                            schema,
                            view.anchor,
                            item,
                            depth + 1,
                            strictness,
                            &item_path,
                        )?,
                        Additional::Unspecified if view.props.is_empty() => {}
                        Additional::Unspecified | Additional::Forbidden => {
                            return Err(format!(
                                "{}: unknown property `{key}` (known: {})",
                                at(path),
                                list_names(view.props.keys().copied())
                            ));
                        }
                    }
                }
                Ok(())
            }
            Value::Array(items) => match view.items {
                Some(schema) => items.iter().enumerate().try_for_each(|(i, item)| {
                    self.check_schema(
                        schema,
                        view.anchor,
                        item,
                        depth + 1,
                        strictness,
                        &format!("{path}[{i}]"),
                    )
                }),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tg_err(method: &str, params: &Value) -> String {
        telegram()
            .check_request(method, params)
            .expect_err("request should be rejected")
    }

    #[test]
    fn telegram_accepts_a_valid_send_message_with_inline_keyboard() {
        let params = json!({
            "chat_id": 42,
            "text": "hello",
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": true},
            "reply_parameters": {"message_id": 7},
            "reply_markup": {"inline_keyboard": [[{"text": "Open", "url": "https://example.com"}]]}
        });
        telegram().check_request("sendMessage", &params).unwrap();
        // Method names are case-insensitive on Telegram's side.
        telegram().check_request("SENDMESSAGE", &params).unwrap();
        telegram()
            .check_request("sendMessage", &json!({"chat_id": "@channel", "text": "x"}))
            .unwrap();
    }

    #[test]
    fn telegram_rejects_missing_unknown_and_mistyped_parameters() {
        let e = tg_err("sendMessage", &json!({"chat_id": 1}));
        assert!(e.contains("`text`") && e.contains("missing"), "{e}");
        let e = tg_err("sendMessage", &json!({"chat_id": 1, "text": "x", "foo": 1}));
        assert!(e.contains("`foo`") && e.contains("unknown"), "{e}");
        let e = tg_err("sendMessage", &json!({"chat_id": true, "text": "x"}));
        assert!(e.contains("chat_id") && e.contains("boolean"), "{e}");
        let e = tg_err("sendMessage", &json!({"chat_id": 1.5, "text": "x"}));
        assert!(e.contains("chat_id"), "{e}");
        let e = tg_err("sendMessage", &json!({"chat_id": 1, "text": 5}));
        assert!(e.contains("text") && e.contains("String"), "{e}");
    }

    #[test]
    fn telegram_checks_nested_objects_and_arrays() {
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x",
                   "reply_markup": {"inline_keyboard": [[{"text": "a", "url": "u", "colour": 1}]]}}),
        );
        assert!(
            e.contains("reply_markup.inline_keyboard[0][0]") && e.contains("`colour`"),
            "{e}"
        );
        // Only the markup kind the value resembles is blamed.
        assert!(!e.contains("ReplyKeyboardMarkup"), "{e}");
        // One level of nesting too few: a row must itself be an array of buttons.
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [{"text": "a"}]}}),
        );
        assert!(e.contains("reply_markup"), "{e}");
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_parameters": {"chat_id": 1}}),
        );
        assert!(e.contains("message_id"), "{e}");
        // Other markup alternatives are accepted too.
        telegram()
            .check_request(
                "sendMessage",
                &json!({"chat_id": 1, "text": "x", "reply_markup": {"force_reply": true}}),
            )
            .unwrap();
        telegram()
            .check_request(
                "sendMessage",
                &json!({"chat_id": 1, "text": "x", "reply_markup": {"remove_keyboard": true}}),
            )
            .unwrap();
    }

    #[test]
    fn telegram_accepts_json_serialised_structured_parameters() {
        let markup = r#"{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}"#;
        telegram()
            .check_request(
                "sendMessage",
                &json!({"chat_id": 1, "text": "x", "reply_markup": markup}),
            )
            .unwrap();
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": r#"{"inline_keyboard":[[{"txt":"a"}]]}"#}),
        );
        assert!(e.contains("JSON-serialised"), "{e}");
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "x", "reply_markup": "not json"}),
        );
        assert!(
            e.contains("reply_markup") && e.contains("must hold a JSON-serialised"),
            "{e}"
        );
        // The leniency goes one way only: an object is no string.
        let e = tg_err(
            "sendMessage",
            &json!({"chat_id": 1, "text": "{}", "parse_mode": {}}),
        );
        assert!(e.contains("parse_mode"), "{e}");
    }

    #[test]
    fn telegram_send_message_draft_exists_with_its_required_parameters() {
        let spec = telegram();
        assert!(spec.has_method("sendMessageDraft"));
        assert!(spec.has_method("sendmessagedraft"));
        spec.check_request(
            "sendMessageDraft",
            &json!({"chat_id": 5, "draft_id": 1, "text": "thinking"}),
        )
        .unwrap();
        let e = tg_err("sendMessageDraft", &json!({"chat_id": 5, "text": "x"}));
        assert!(e.contains("`draft_id`"), "{e}");
        let e = tg_err("sendMessageDraft", &json!({"draft_id": 1, "text": "x"}));
        assert!(e.contains("`chat_id`"), "{e}");
        // Drafts only go to private chats, so chat_id is Integer only, unlike sendMessage.
        let e = tg_err(
            "sendMessageDraft",
            &json!({"chat_id": "@someone", "draft_id": 1}),
        );
        assert!(e.contains("chat_id"), "{e}");
    }

    #[test]
    fn telegram_get_chat_member_requires_chat_and_user() {
        telegram()
            .check_request("getChatMember", &json!({"chat_id": -100123, "user_id": 7}))
            .unwrap();
        let e = tg_err("getChatMember", &json!({"chat_id": -100123}));
        assert!(e.contains("`user_id`"), "{e}");
        let e = tg_err("getChatMember", &json!({"user_id": 7}));
        assert!(e.contains("`chat_id`"), "{e}");
    }

    #[test]
    fn telegram_rejects_unknown_methods_and_non_object_params() {
        assert!(!telegram().has_method("sendMesage"));
        let e = tg_err("sendMesage", &json!({"chat_id": 1, "text": "x"}));
        assert!(e.contains("sendMesage"), "{e}");
        let e = tg_err("sendMessage", &json!([1]));
        assert!(e.contains("object"), "{e}");
        telegram().check_request("getMe", &Value::Null).unwrap();
        telegram().check_request("getMe", &json!({})).unwrap();
    }

    #[test]
    fn telegram_check_type_handles_unions_and_unknown_fields() {
        let spec = telegram();
        let member =
            json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "member"});
        spec.check_type("ChatMember", &member).unwrap();
        spec.check_type("ChatMemberMember", &member).unwrap();
        let e = spec
            .check_type(
                "ChatMember",
                &json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "member", "extra": 1}),
            )
            .unwrap_err();
        assert!(e.contains("`extra`"), "{e}");
        // Unknown keys deep inside are errors too.
        let e = spec
            .check_type(
                "ChatMember",
                &json!({"user": {"id": 1, "is_bot": false, "first_name": "A", "x": 1}, "status": "member"}),
            )
            .unwrap_err();
        assert!(e.contains("user") && e.contains("`x`"), "{e}");
        // The discriminator is enforced, so a member cannot pass as e.g. "left" with extra fields.
        let e = spec.check_type("ChatMemberLeft", &member).unwrap_err();
        assert!(e.contains("left"), "{e}");
        let e = spec
            .check_type(
                "ChatMember",
                &json!({"user": {"id": 1, "is_bot": false, "first_name": "A"}, "status": "boss"}),
            )
            .unwrap_err();
        assert!(e.contains("status"), "{e}");
        spec.check_type("Boolean", &json!(true)).unwrap();
        spec.check_type("Array of Update", &json!([{"update_id": 1}]))
            .unwrap();
        assert!(spec.check_type("NoSuchType", &json!({})).is_err());
    }

    #[test]
    fn telegram_spec_is_self_consistent() {
        // Every type any field or union mentions must exist, or checks would fail at random later.
        let spec = telegram();
        let mut mentioned: Vec<&str> = Vec::new();
        let fields = spec.methods.values().flat_map(|m| m.fields.iter()).chain(
            spec.types.values().flat_map(|t| match t {
                TgType::Object(fields) => fields.iter(),
                TgType::Union(_) => [].iter(),
            }),
        );
        for field in fields {
            mentioned.extend(field.types.iter().map(String::as_str));
        }
        for t in spec.types.values() {
            if let TgType::Union(alternatives) = t {
                mentioned.extend(alternatives.iter().map(String::as_str));
            }
        }
        for expr in mentioned {
            let mut base = expr;
            while let Some(inner) = base.strip_prefix("Array of ") {
                base = inner;
            }
            assert!(
                tg_primitive_fits(base, &Value::Null).is_some() || spec.types.contains_key(base),
                "{expr}"
            );
        }
        assert!(spec.methods.len() > 150);
        let discriminated = spec
            .types
            .values()
            .filter_map(|t| match t {
                TgType::Object(fields) => Some(fields),
                TgType::Union(_) => None,
            })
            .flatten()
            .filter(|f| f.constant.is_some())
            .count();
        assert!(discriminated > 80, "{discriminated}");
    }

    fn oa_err(method: &str, path: &str, body: &Value) -> String {
        openai()
            .check_request(method, path, body)
            .expect_err("request should be rejected")
    }

    fn minimal_chat() -> Value {
        json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "hi"}]
        })
    }

    #[test]
    fn openai_parse_time_is_reported() {
        // Measured on a fresh parse rather than via openai(), which another test may have warmed.
        let started = std::time::Instant::now();
        let spec = OpenAiSpec::parse(OPENAI_SPEC).unwrap();
        let elapsed = started.elapsed();
        eprintln!("OpenAI spec parse took {elapsed:?}");
        assert!(spec.paths.len() > 100);
        let started = std::time::Instant::now();
        TelegramSpec::parse(TELEGRAM_SPEC).unwrap();
        eprintln!("Telegram spec parse took {:?}", started.elapsed());
    }

    #[test]
    fn openai_yaml_patch_is_still_needed_and_harmless() {
        // If a future spec drops the out-of-range literal this patch becomes dead weight.
        assert!(serde_yaml_ng::from_str::<Value>(OPENAI_SPEC).is_err());
        let seed = openai()
            .root
            .pointer("/components/schemas/CreateChatCompletionRequest/allOf/1/properties/seed")
            .unwrap();
        assert_eq!(seed["type"], "integer");
        assert!(seed["minimum"].as_f64().unwrap() < -9.0e18);
    }

    #[test]
    fn openai_every_ref_resolves() {
        fn walk<'a>(node: &'a Value, out: &mut Vec<&'a str>) {
            match node {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        out.push(r);
                    }
                    map.values().for_each(|v| walk(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let spec = openai();
        let mut refs = Vec::new();
        walk(&spec.root, &mut refs);
        assert!(refs.len() > 1000);
        for r in refs {
            assert!(spec.resolve(r).is_some(), "unresolvable {r}");
        }
    }

    #[test]
    fn openai_accepts_valid_chat_completion_requests() {
        let spec = openai();
        spec.check_request("POST", "/v1/chat/completions", &minimal_chat())
            .unwrap();
        spec.check_request("post", "/chat/completions", &minimal_chat())
            .unwrap();
        let full = json!({
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "developer", "content": "be brief"},
                {"role": "user", "content": [{"type": "text", "text": "hi"}]},
                {"role": "assistant", "content": "hello", "name": "bot"},
                {"role": "user", "content": "again"}
            ],
            "max_completion_tokens": 256,
            "temperature": 0.7,
            "user": "u-1",
            "safety_identifier": "hash",
            "stream": true,
            "stream_options": {"include_usage": true},
            "response_format": {"type": "json_object"},
            "seed": 3,
            "metadata": {"k": "v"}
        });
        spec.check_request("POST", "/v1/chat/completions", &full)
            .unwrap();
        let nulls = json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": "hi"}],
            "temperature": null,
            "max_completion_tokens": null,
            "stream_options": null,
            "prediction": null
        });
        spec.check_request("POST", "/v1/chat/completions", &nulls)
            .unwrap();
        let tools = json!({
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "user", "content": "weather?"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "w", "arguments": "{}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}
            ]
        });
        spec.check_request("POST", "/v1/chat/completions", &tools)
            .unwrap();
    }

    #[test]
    fn openai_rejects_invalid_chat_completion_requests() {
        let e = oa_err(
            "POST",
            "/v1/chat/completions",
            &json!({"model": "gpt-4o-mini"}),
        );
        assert!(e.contains("`messages`") && e.contains("missing"), "{e}");
        let mut body = minimal_chat();
        body["temprature"] = json!(1);
        let e = oa_err("POST", "/v1/chat/completions", &body);
        assert!(e.contains("`temprature`") && e.contains("unknown"), "{e}");
        let mut body = minimal_chat();
        body["messages"][1]["foo"] = json!(1);
        let e = oa_err("POST", "/v1/chat/completions", &body);
        // The `user` variant is picked by role and its own complaint is reported.
        assert!(e.contains("messages[1]") && e.contains("`foo`"), "{e}");
        assert!(!e.contains("alternatives"), "{e}");
        let e = oa_err(
            "POST",
            "/v1/chat/completions",
            &json!({"model": "m", "messages": [{"role": "wizard", "content": "x"}]}),
        );
        assert!(e.contains("messages[0]"), "{e}");
        let e = oa_err(
            "POST",
            "/v1/chat/completions",
            &json!({"model": "m", "messages": [{"role": "user"}]}),
        );
        assert!(e.contains("`content`"), "{e}");
        let e = oa_err(
            "POST",
            "/v1/chat/completions",
            &json!({"model": "m", "messages": [{"role": "tool", "content": "x"}]}),
        );
        assert!(e.contains("`tool_call_id`"), "{e}");
        let mut body = minimal_chat();
        body["stream_options"] = json!({"include_usage": "yes"});
        let e = oa_err("POST", "/v1/chat/completions", &body);
        assert!(e.contains("include_usage"), "{e}");
        let mut body = minimal_chat();
        body["max_completion_tokens"] = json!(1.5);
        let e = oa_err("POST", "/v1/chat/completions", &body);
        assert!(e.contains("max_completion_tokens"), "{e}");
        let e = oa_err("POST", "/v1/chat/completions", &Value::Null);
        assert!(e.contains("required"), "{e}");
    }

    #[test]
    fn openai_checks_paths_and_methods() {
        let e = oa_err("POST", "/v1/chat/complete", &minimal_chat());
        assert!(e.contains("unknown"), "{e}");
        let e = oa_err("PUT", "/v1/chat/completions", &minimal_chat());
        assert!(e.contains("PUT"), "{e}");
        // `/v1x` is not the version prefix.
        assert!(
            openai()
                .check_request("POST", "/v1x/chat/completions", &minimal_chat())
                .is_err()
        );
        openai()
            .check_request(
                "GET",
                "/v1/conversations/conv_123/items?limit=5",
                &json!({"limit": 5, "order": "asc"}),
            )
            .unwrap();
        let e = oa_err(
            "GET",
            "/v1/conversations/conv_123/items",
            &json!({"lmit": 5}),
        );
        assert!(e.contains("`lmit`"), "{e}");
        openai()
            .check_request("GET", "/v1/conversations/conv_123", &Value::Null)
            .unwrap();
    }

    #[test]
    fn openai_responses_and_conversations() {
        let spec = openai();
        spec.check_request(
            "POST",
            "/v1/responses",
            &json!({"model": "gpt-4o-mini", "input": "hi", "conversation": "conv_123"}),
        )
        .unwrap();
        spec.check_request(
            "POST",
            "/v1/responses",
            &json!({"model": "gpt-4o-mini", "input": [{"role": "user", "content": "hi"}],
                    "conversation": {"id": "conv_123"}, "instructions": "be brief",
                    "max_output_tokens": 100, "store": false}),
        )
        .unwrap();
        let e = oa_err(
            "POST",
            "/v1/responses",
            &json!({"model": "gpt-4o-mini", "input": "hi", "messages": []}),
        );
        assert!(e.contains("`messages`"), "{e}");
        let e = oa_err(
            "POST",
            "/v1/responses",
            &json!({"model": "gpt-4o-mini", "input": "hi", "conversation": 5}),
        );
        assert!(e.contains("conversation"), "{e}");
        spec.check_request("POST", "/v1/conversations", &json!({}))
            .unwrap();
        spec.check_request(
            "POST",
            "/v1/conversations",
            &json!({"metadata": {"chat": "1"}, "items": [{"type": "message", "role": "user", "content": "hi"}]}),
        )
        .unwrap();
        let e = oa_err("POST", "/v1/conversations", &json!({"title": "x"}));
        assert!(e.contains("`title`"), "{e}");
    }

    const CHAT_COMPLETION_RESPONSE: &str = r#"{
  "id": "chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU",
  "object": "chat.completion",
  "created": 1770950813,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "Hello! How can I assist you today?",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 11,
    "completion_tokens": 9,
    "total_tokens": 20,
    "prompt_tokens_details": {
      "cached_tokens": 0,
      "audio_tokens": 0
    },
    "completion_tokens_details": {
      "reasoning_tokens": 0,
      "audio_tokens": 0,
      "accepted_prediction_tokens": 0,
      "rejected_prediction_tokens": 0
    }
  },
  "service_tier": "default",
  "system_fingerprint": "Sanitized"
}"#;

    #[test]
    fn openai_check_response_accepts_a_real_chat_completion() {
        let body: Value = serde_json::from_str(CHAT_COMPLETION_RESPONSE).unwrap();
        openai()
            .check_response("POST", "/v1/chat/completions", &body)
            .unwrap();
        let mut extra = body.clone();
        extra["surprise"] = json!(1);
        let e = openai()
            .check_response("POST", "/v1/chat/completions", &extra)
            .unwrap_err();
        assert!(e.contains("`surprise`"), "{e}");
        let mut missing = body.clone();
        missing.as_object_mut().unwrap().remove("choices");
        let e = openai()
            .check_response("POST", "/v1/chat/completions", &missing)
            .unwrap_err();
        assert!(e.contains("`choices`"), "{e}");
        let mut wrong = body;
        wrong["object"] = json!("response");
        let e = openai()
            .check_response("POST", "/v1/chat/completions", &wrong)
            .unwrap_err();
        assert!(e.contains("object"), "{e}");
    }

    /// Real Responses API output (shared fixture 11): carries `store`, which the description
    /// omits, and `user: null`, which it does not mark nullable.
    const RESPONSES_RESPONSE: &str = r#"{
  "id": "resp_689a0b2545288193953c892439b42e2800b2e36c65a1fd4b",
  "object": "response",
  "created_at": 1754925861,
  "status": "completed",
  "background": false,
  "error": null,
  "incomplete_details": null,
  "instructions": null,
  "max_output_tokens": null,
  "max_tool_calls": null,
  "model": "gpt-4o-mini-2024-07-18",
  "output": [
    {
      "id": "msg_689a0b2637b08193ac478e568f49e3f900b2e36c65a1fd4b",
      "type": "message",
      "status": "completed",
      "content": [
        {
          "type": "output_text",
          "annotations": [],
          "logprobs": [],
          "text": "I can't provide real-time updates."
        }
      ],
      "role": "assistant"
    }
  ],
  "parallel_tool_calls": true,
  "previous_response_id": null,
  "prompt_cache_key": null,
  "reasoning": {
    "effort": null,
    "summary": null
  },
  "safety_identifier": null,
  "service_tier": "default",
  "store": true,
  "temperature": 1.0,
  "text": {
    "format": {
      "type": "text"
    },
    "verbosity": "medium"
  },
  "tool_choice": "auto",
  "tools": [],
  "top_logprobs": 0,
  "top_p": 1.0,
  "truncation": "disabled",
  "usage": {
    "input_tokens": 14,
    "input_tokens_details": {
      "cached_tokens": 0,
      "cache_write_tokens": 0
    },
    "output_tokens": 50,
    "output_tokens_details": {
      "reasoning_tokens": 0
    },
    "total_tokens": 64
  },
  "user": null,
  "metadata": {}
}"#;

    #[test]
    fn openai_check_response_tolerates_documented_gaps_only() {
        let spec = openai();
        let body: Value = serde_json::from_str(RESPONSES_RESPONSE).unwrap();
        spec.check_response("POST", "/v1/responses", &body).unwrap();
        let mut extra = body.clone();
        extra["stored"] = json!(true);
        let e = spec
            .check_response("POST", "/v1/responses", &extra)
            .unwrap_err();
        assert!(e.contains("`stored`"), "{e}");
        // `store` is only excused where the live API was seen to send it.
        let e = spec
            .check_response("POST", "/v1/conversations", &json!({
                "id": "conv_1", "object": "conversation", "created_at": 1, "metadata": {}, "store": true
            }))
            .unwrap_err();
        assert!(e.contains("`store`"), "{e}");
        // Null is tolerated for optional keys only; required ones still need a real value.
        let mut null_id = body;
        null_id["id"] = Value::Null;
        let e = spec
            .check_response("POST", "/v1/responses", &null_id)
            .unwrap_err();
        assert!(e.contains("id"), "{e}");
        spec.check_response(
            "POST",
            "/v1/audio/transcriptions",
            &json!({"task": "transcribe", "language": "english", "duration": 1.7,
                    "text": "Hello", "segments": [], "usage": {"type": "duration", "seconds": 2}}),
        )
        .unwrap();
        let e = spec
            .check_response(
                "POST",
                "/v1/chat/completions",
                &json!({"id": "x", "object": "chat.completion", "created": "yesterday",
                        "model": "m", "choices": []}),
            )
            .unwrap_err();
        assert!(e.contains("created"), "{e}");
    }

    #[test]
    fn openai_nullable_without_type_is_accepted() {
        // The description has `nullable: true` on schemas with no `type`; such a schema
        // constrains nothing but must still admit null.
        let spec = openai();
        let schema = json!({"nullable": true, "description": "defect"});
        spec.check_schema(&schema, None, &Value::Null, 0, REQUEST, "")
            .unwrap();
        spec.check_schema(&schema, None, &json!({"a": 1}), 0, REQUEST, "")
            .unwrap();
        let typed = json!({"type": "string", "nullable": true});
        spec.check_schema(&typed, None, &Value::Null, 0, REQUEST, "")
            .unwrap();
        assert!(
            spec.check_schema(&typed, None, &json!(1), 0, REQUEST, "")
                .is_err()
        );
        let plain = json!({"type": "string"});
        assert!(
            spec.check_schema(&plain, None, &Value::Null, 0, REQUEST, "")
                .is_err()
        );
    }

    #[test]
    fn telegram_addendum_adds_bot_api_10_3_draft_stopping() {
        let spec = telegram();
        spec.check_request(
            "sendMessageDraft",
            &json!({"chat_id": 5, "draft_id": 7, "text": "<b>hi</b>", "parse_mode": "HTML",
                    "can_stop": true, "keep_on_stop": true}),
        )
        .unwrap();
        let e = tg_err(
            "sendMessageDraft",
            &json!({"chat_id": 5, "draft_id": 7, "text": "x", "can_pause": true}),
        );
        assert!(e.contains("`can_pause`"), "{e}");
        let e = tg_err(
            "sendMessageDraft",
            &json!({"chat_id": 5, "draft_id": 7, "can_stop": "yes"}),
        );
        assert!(e.contains("can_stop"), "{e}");
        // The 10.1 parameters are all still there.
        assert_eq!(
            spec.param_types("sendMessageDraft", "entities"),
            Some(&["Array of MessageEntity".to_owned()][..])
        );
        let stopped = json!({"update_id": 1, "stopped_message_generation": {
            "chat": {"id": 5, "type": "private", "first_name": "A"}, "draft_id": 7}});
        spec.check_type("Update", &stopped).unwrap();
        let mut threaded = stopped;
        threaded["stopped_message_generation"]["message_thread_id"] = json!(3);
        spec.check_type("Update", &threaded).unwrap();
        let e = spec
            .check_type(
                "Update",
                &json!({"update_id": 1, "stopped_message_generation": {
                    "chat": {"id": 5, "type": "private"}}}),
            )
            .unwrap_err();
        assert!(e.contains("`draft_id`"), "{e}");
        // Updates the addendum does not touch are checked as before.
        let e = spec
            .check_type("Update", &json!({"update_id": 1, "stopped_generation": {}}))
            .unwrap_err();
        assert!(e.contains("`stopped_generation`"), "{e}");
    }

    #[test]
    fn telegram_addendum_merge_adds_and_replaces_by_name() {
        let mut spec = TelegramSpec::parse(TELEGRAM_SPEC).unwrap();
        assert!(spec.param_types("sendMessageDraft", "can_stop").is_none());
        spec.merge(TELEGRAM_ADDENDUM).unwrap();
        let before = spec.methods["sendmessagedraft"].fields.len();
        // Merging again changes nothing: fields are matched by name.
        spec.merge(TELEGRAM_ADDENDUM).unwrap();
        assert_eq!(spec.methods["sendmessagedraft"].fields.len(), before);
        assert!(spec.types.contains_key("MessageGenerationStopped"));
        let unions = r#"{"types": {"ChatMember": {"subtypes": ["ChatMemberOwner"]}}}"#;
        assert!(spec.merge(unions).is_err());
    }

    fn form(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<FormPart> {
        parts
            .iter()
            .map(|(name, file_name, bytes)| FormPart {
                name: (*name).to_owned(),
                file_name: file_name.map(str::to_owned),
                content_type: None,
                bytes: bytes.to_vec(),
            })
            .collect()
    }

    #[test]
    fn multipart_parsing_keeps_binary_bytes() {
        let audio: &[u8] = b"OggS\x00\x02\r\n--not-the-boundary\r\n\xff\xfe\x00end";
        let mut body = Vec::new();
        body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n");
        body.extend_from_slice(b"gpt-4o-mini-transcribe\r\n--XyZ\r\n");
        body.extend_from_slice(
            b"content-disposition: form-data; name=\"file\"; filename=\"a;b.ogg\"\r\n\
              Content-Type: audio/ogg\r\n\r\n",
        );
        body.extend_from_slice(audio);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        let parts = parse_multipart("multipart/form-data; boundary=\"XyZ\"", &body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "model");
        assert_eq!(parts[0].text(), "gpt-4o-mini-transcribe");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[1].file_name.as_deref(), Some("a;b.ogg"));
        assert_eq!(parts[1].content_type.as_deref(), Some("audio/ogg"));
        assert_eq!(parts[1].bytes, audio);
        assert!(parse_multipart("multipart/form-data", &body).is_err());
        assert!(parse_multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_err());
    }

    #[test]
    fn openai_multipart_transcription_requests_are_checked() {
        let spec = openai();
        let path = "/v1/audio/transcriptions";
        let audio: &[u8] = b"OggS\xff";
        spec.check_multipart(
            "POST",
            path,
            &form(&[
                ("file", Some("voice.ogg"), audio),
                ("model", None, b"gpt-4o-mini-transcribe"),
            ]),
        )
        .unwrap();
        // Every field is text on the wire; numbers, booleans and lists are read from it.
        spec.check_multipart(
            "POST",
            path,
            &form(&[
                ("model", None, b"gpt-4o-mini-transcribe"),
                ("file", Some("voice.ogg"), audio),
                ("response_format", None, b"json"),
                ("temperature", None, b"0.2"),
                ("stream", None, b"false"),
                ("language", None, b"en"),
                ("include[]", None, b"logprobs"),
                ("chunking_strategy", None, b"auto"),
            ]),
        )
        .unwrap();
        let err = |parts: &[(&str, Option<&str>, &[u8])]| {
            spec.check_multipart("POST", path, &form(parts))
                .expect_err("form should be rejected")
        };
        let e = err(&[("file", Some("voice.ogg"), audio)]);
        assert!(e.contains("`model`") && e.contains("missing"), "{e}");
        let e = err(&[("model", None, b"gpt-4o-mini-transcribe")]);
        assert!(e.contains("`file`"), "{e}");
        let e = err(&[
            ("file", Some("voice.ogg"), audio),
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("voice", None, b"alloy"),
        ]);
        assert!(e.contains("`voice`") && e.contains("unknown"), "{e}");
        let e = err(&[
            ("file", None, audio),
            ("model", None, b"gpt-4o-mini-transcribe"),
        ]);
        assert!(e.contains("`file`") && e.contains("file upload"), "{e}");
        let e = err(&[
            ("file", Some("voice.ogg"), audio),
            ("model", Some("m.txt"), b"x"),
        ]);
        assert!(e.contains("`model`") && e.contains("text field"), "{e}");
        let e = err(&[
            ("file", Some("voice.ogg"), audio),
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("response_format", None, b"mp3"),
        ]);
        assert!(e.contains("response_format"), "{e}");
        let e = err(&[
            ("file", Some("voice.ogg"), audio),
            ("model", None, b"gpt-4o-mini-transcribe"),
            ("temperature", None, b"warm"),
        ]);
        assert!(e.contains("temperature"), "{e}");
        let e = spec
            .check_multipart(
                "POST",
                "/v1/chat/completions",
                &form(&[("model", None, b"x")]),
            )
            .unwrap_err();
        assert!(e.contains("multipart"), "{e}");
    }

    #[test]
    fn openai_recorded_stream_chunks_fit_the_stream_schemas() {
        let data = |file: &str| -> Vec<Value> {
            crate::fixtures::text(&format!("openai/{file}"))
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .filter(|d| *d != "[DONE]")
                .map(|d| serde_json::from_str(d).unwrap())
                .collect()
        };
        let spec = openai();
        for file in [
            "05-chat-completion-stream-include-usage-2026.sse",
            "06-chat-completion-stream-include-usage-2024.sse",
            "08-chat-completion-stream-tool-call.sse",
            "10-chat-completion-stream-finish-length.sse",
        ] {
            let chunks = data(file);
            assert!(chunks.len() > 1, "{file}");
            for chunk in chunks {
                spec.check_component("CreateChatCompletionStreamResponse", &chunk)
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
        for mut event in data("14-responses-stream.sse") {
            // Recorded in 2025, before usage reported cache writes; fixture 11 has the field.
            if let Some(details) = event
                .pointer_mut("/response/usage/input_tokens_details")
                .and_then(Value::as_object_mut)
            {
                details.entry("cache_write_tokens").or_insert(json!(0));
            }
            spec.check_response_stream_event(&event)
                .unwrap_or_else(|e| panic!("{}: {e}", event["type"]));
        }
        let mut chunk = data("05-chat-completion-stream-include-usage-2026.sse").remove(1);
        chunk["object"] = json!("chat.completion");
        assert!(
            spec.check_component("CreateChatCompletionStreamResponse", &chunk)
                .is_err()
        );
        chunk["object"] = json!("chat.completion.chunk");
        chunk["choices"][0]["delta"]["colour"] = json!("red");
        let e = spec
            .check_component("CreateChatCompletionStreamResponse", &chunk)
            .unwrap_err();
        assert!(e.contains("`colour`"), "{e}");
        assert!(spec.check_component("NoSuchSchema", &chunk).is_err());
        let mut delta = data("14-responses-stream.sse").remove(4);
        assert_eq!(delta["type"], "response.output_text.delta");
        delta["delta"] = json!(5);
        assert!(spec.check_response_stream_event(&delta).is_err());
    }
}
