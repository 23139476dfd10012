//! Reading a call's parameters: JSON bodies, and multipart/form-data with uploads.

use serde_json::{Value, json};

use super::UploadedFile;
use crate::spec;

/// Splits a multipart/form-data body into its text fields and its files. Form fields are
/// always text; like the Bot API, numbers and booleans are read from them where the method
/// declares such a parameter (and no String alternative).
pub(crate) fn parse_multipart(
    method: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(Value, Vec<UploadedFile>), String> {
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    for part in spec::parse_multipart(content_type, body)? {
        match &part.file_name {
            Some(file_name) => {
                // The Bot API reads an uploaded file where an InputFile is expected.
                fields.insert(part.name.clone(), json!(format!("attach://{file_name}")));
                files.push(UploadedFile {
                    field: part.name.clone(),
                    file_name: file_name.clone(),
                    content: part.text(),
                    bytes: part.bytes,
                });
            }
            None => {
                let value = form_value(method, &part.name, part.text());
                fields.insert(part.name, value);
            }
        }
    }
    Ok((Value::Object(fields), files))
}

fn form_value(method: &str, name: &str, text: String) -> Value {
    let Some(types) = spec::telegram().param_types(method, name) else {
        return Value::String(text);
    };
    if types.iter().any(|t| t == "String" || t == "InputFile") {
        return Value::String(text);
    }
    for declared in types {
        let read = match declared.as_str() {
            "Integer" => text.parse::<i64>().ok().map(Value::from),
            "Float" => text.parse::<f64>().ok().map(Value::from),
            "Boolean" => text.parse::<bool>().ok().map(Value::from),
            // Objects and arrays arrive JSON-serialised, which the spec check accepts.
            _ => None,
        };
        if let Some(value) = read {
            return value;
        }
    }
    Value::String(text)
}

/// A chat id sent as a number (JSON) or as text (forms).
pub(crate) fn chat_id_of(params: &Value) -> Option<i64> {
    let id = &params["chat_id"];
    id.as_i64().or_else(|| id.as_str()?.parse().ok())
}
