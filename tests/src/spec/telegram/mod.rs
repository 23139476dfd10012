//! The Telegram Bot API description: methods and types as published, parsed from the
//! machine-readable JSON and extended by an addendum for newer Bot API versions.

mod check;

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The Telegram Bot API description (methods and types) as published for Bot API 10.1.
pub struct TelegramSpec {
    /// Keyed by lower-cased name: the Bot API resolves method names case-insensitively.
    pub(super) methods: HashMap<String, TgMethod>,
    pub(super) types: HashMap<String, TgType>,
}

/// One method: its name as published and its parameters.
pub(super) struct TgMethod {
    pub(super) name: String,
    pub(super) fields: Vec<TgField>,
}

/// One parameter of a method or field of a type.
pub(super) struct TgField {
    pub(super) name: String,
    pub(super) types: Vec<String>,
    pub(super) required: bool,
    /// Union members are told apart only by prose such as `always "member"`; enforcing it
    /// keeps e.g. a ChatMemberLeft from passing as a ChatMemberMember.
    pub(super) constant: Option<String>,
}

/// A named type: an object with fields, or a union of other types.
pub(super) enum TgType {
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

/// Whether `value` fits a primitive type name; `None` when the name is not a primitive.
pub(super) fn tg_primitive_fits(name: &str, value: &Value) -> Option<bool> {
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
    /// Reads the full description (the JSON of `tests/specs/`).
    pub(super) fn parse(text: &str) -> Result<Self, String> {
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
    pub(super) fn merge(&mut self, text: &str) -> Result<(), String> {
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

    /// Whether the Bot API has this method (case-insensitively, as Telegram resolves it).
    pub fn has_method(&self, method: &str) -> bool {
        self.methods.contains_key(&method.to_lowercase())
    }
}
