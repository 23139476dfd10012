//! What CloudFormation asks, read from its custom resource request.
//!
//! The properties hold the bot token (`TokenChange`, there only so a new token re-runs the
//! resource) and the request holds the pre-signed response URL, so neither the event nor
//! a property value is ever logged, and no error message here quotes one.

use aws_lambda_events::event::cloudformation::CloudFormationCustomResourceRequest;
use serde_json::Value;

/// What to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The stack made the resource: set the bot up and name the id after it.
    Create,
    /// `physical_id`: the resource's id as this function returned it last time.
    Update {
        /// Answered back unchanged while it names the same bot, so no Delete follows.
        physical_id: String,
    },
    /// The stack dropped the resource (or replaced it): undone if it can be, never failed.
    Delete {
        /// Names the bot it was made for: another bot's webhook is left alone.
        physical_id: String,
    },
}

impl Kind {
    /// CloudFormation's `RequestType`, for the log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Create => "Create",
            Self::Update { .. } => "Update",
            Self::Delete { .. } => "Delete",
        }
    }
}

/// Where and for whom the answer goes.
#[derive(Clone, PartialEq, Eq)]
pub struct ReplyTo {
    /// The pre-signed URL the answer is PUT to; a credential, so never logged.
    pub response_url: String,
    /// Echoed in the answer, like the two ids below: how CloudFormation matches it up.
    pub stack_id: String,
    /// Names this one request among the stack's; echoed in the answer.
    pub request_id: String,
    /// The resource's name in the template: what the log may show.
    pub logical_resource_id: String,
}

impl std::fmt::Debug for ReplyTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyTo")
            .field("logical_resource_id", &self.logical_resource_id)
            .finish_non_exhaustive()
    }
}

/// No `Debug`: the properties hold the bot token.
#[derive(Clone)]
pub struct Request {
    /// Create, Update or Delete, with the physical id sent.
    pub kind: Kind,
    /// Where the answer goes, whatever becomes of the request.
    pub reply: ReplyTo,
    /// The template's `Custom::` type, only logged.
    pub resource_type: String,
    /// `Action` and that action's own properties; they hold the token, so never logged.
    pub properties: Value,
}

/// A request that does not read as a custom resource request.
#[derive(Debug)]
pub struct Unreadable {
    /// Enough to answer it FAILED, if the request named where to, and its physical id.
    pub reply: Option<Box<(ReplyTo, Option<String>)>>,
    /// What was wrong, never quoting a value: the FAILED answer's reason.
    pub reason: String,
}

type CfnRequest = CloudFormationCustomResourceRequest<Value, Value>;

impl Request {
    /// Reads an event; when that fails, keeps what answering FAILED needs, if it is there.
    pub fn read(event: Value) -> Result<Self, Unreadable> {
        let parsed = serde_json::from_value::<CfnRequest>(event.clone());
        let unreadable = |reason: String| Unreadable {
            reply: salvage(&event),
            reason,
        };
        let (kind, reply, resource_type, properties) = match parsed {
            Ok(CfnRequest::Create(r)) => (
                Kind::Create,
                reply(
                    r.response_url,
                    r.stack_id,
                    r.request_id,
                    r.logical_resource_id,
                ),
                r.resource_type,
                r.resource_properties,
            ),
            Ok(CfnRequest::Update(r)) => (
                Kind::Update {
                    physical_id: r.physical_resource_id,
                },
                reply(
                    r.response_url,
                    r.stack_id,
                    r.request_id,
                    r.logical_resource_id,
                ),
                r.resource_type,
                r.resource_properties,
            ),
            Ok(CfnRequest::Delete(r)) => (
                Kind::Delete {
                    physical_id: r.physical_resource_id,
                },
                reply(
                    r.response_url,
                    r.stack_id,
                    r.request_id,
                    r.logical_resource_id,
                ),
                r.resource_type,
                r.resource_properties,
            ),
            Ok(_) => {
                return Err(unreadable(
                    "a RequestType this function does not know".into(),
                ));
            }
            Err(e) => return Err(unreadable(safe_reason(&e))),
        };
        Ok(Self {
            kind,
            reply,
            resource_type,
            properties,
        })
    }
}

fn reply(
    response_url: String,
    stack_id: String,
    request_id: String,
    logical_resource_id: String,
) -> ReplyTo {
    ReplyTo {
        response_url,
        stack_id,
        request_id,
        logical_resource_id,
    }
}

/// The fields an answer needs, from a request that failed to read as a whole.
fn salvage(event: &Value) -> Option<Box<(ReplyTo, Option<String>)>> {
    let text = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_owned);
    let reply = ReplyTo {
        response_url: text("ResponseURL")?,
        stack_id: text("StackId")?,
        request_id: text("RequestId")?,
        logical_resource_id: text("LogicalResourceId")?,
    };
    Some(Box::new((reply, text("PhysicalResourceId"))))
}

/// serde's words for what is missing or of the wrong kind, never the value it found.
fn safe_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") || text.starts_with("unknown variant") {
        return format!("not a custom resource request: {text}");
    }
    format!("not a custom resource request ({:?} error)", e.classify())
}

/// Which resource the properties describe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `identity`: who the bot is, for the template (`BOT_USERNAME`).
    Identity,
    /// `webhook`: the webhook, and the command menus.
    Webhook,
}

/// The `Action` property, either case; the error is the reason the request fails.
pub fn action(properties: &Value) -> Result<Action, String> {
    match properties.get("Action").and_then(Value::as_str) {
        Some(a) if a.eq_ignore_ascii_case("identity") => Ok(Action::Identity),
        Some(a) if a.eq_ignore_ascii_case("webhook") => Ok(Action::Webhook),
        Some(_) => Err("the Action property must be \"identity\" or \"webhook\"".into()),
        None => Err("the Action property is missing (\"identity\" or \"webhook\")".into()),
    }
}

/// The webhook resource's own properties.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookProps {
    /// `WebhookUrl`: the webhook function's HTTPS address, trimmed.
    pub url: String,
    /// `MaxConnections`, 1 to 100; absent or empty keeps Telegram's default.
    pub max_connections: Option<u32>,
}

impl std::fmt::Debug for WebhookProps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookProps")
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

/// Telegram's range for `max_connections`.
const MAX_CONNECTIONS: std::ops::RangeInclusive<u32> = 1..=100;

/// Reads `WebhookUrl` and `MaxConnections`; the error names the bad one, not its value.
pub fn webhook_props(properties: &Value) -> Result<WebhookProps, String> {
    let url = properties
        .get("WebhookUrl")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or("the WebhookUrl property is missing or empty")?;
    // CloudFormation sends every property value as a string; a number is read as well.
    let max_connections = match properties.get("MaxConnections") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().parse::<u32>().ok()),
        Some(Value::Number(n)) => Some(n.as_u64().and_then(|n| u32::try_from(n).ok())),
        Some(_) => Some(None),
    };
    let max_connections = match max_connections {
        None => None,
        Some(Some(n)) if MAX_CONNECTIONS.contains(&n) => Some(n),
        Some(_) => {
            return Err("the MaxConnections property must be a whole number from 1 to 100".into());
        }
    };
    Ok(WebhookProps {
        url: url.to_owned(),
        max_connections,
    })
}
