//! What CloudFormation is told.

use std::collections::HashMap;

use aws_lambda_events::event::cloudformation::{
    CloudFormationCustomResourceResponse, CloudFormationCustomResourceResponseStatus,
};

use super::request::ReplyTo;

/// How one request went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the stack goes on: FAILED rolls it back (a Delete never fails).
    pub success: bool,
    /// Shown in the stack's events: for a failure, what Telegram said. Never a secret.
    pub reason: String,
    /// What CloudFormation calls the resource; a new one on Update replaces the old.
    pub physical_id: String,
    /// Attributes for `Fn::GetAtt`.
    pub data: HashMap<String, String>,
}

impl Outcome {
    /// SUCCESS, with `reason` saying what was done.
    pub fn success(physical_id: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            success: true,
            reason: reason.into(),
            physical_id: physical_id.into(),
            data: HashMap::new(),
        }
    }

    /// FAILED, with `reason` saying why in the stack's events.
    pub fn failed(physical_id: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            success: false,
            ..Self::success(physical_id, reason)
        }
    }

    /// Adds a `Data` attribute, for the template's `Fn::GetAtt`.
    pub fn with(mut self, attribute: &str, value: impl Into<String>) -> Self {
        self.data.insert(attribute.to_owned(), value.into());
        self
    }
}

/// The body PUT to the response URL. The reason is cut to what CloudFormation shows, well
/// under the 4 KB a whole response may take.
pub fn body(reply: &ReplyTo, outcome: &Outcome) -> CloudFormationCustomResourceResponse {
    let mut response = CloudFormationCustomResourceResponse::default();
    response.status = if outcome.success {
        CloudFormationCustomResourceResponseStatus::Success
    } else {
        CloudFormationCustomResourceResponseStatus::Failed
    };
    response.reason = Some(outcome.reason.chars().take(1000).collect());
    response.physical_resource_id = outcome.physical_id.clone();
    response.stack_id = reply.stack_id.clone();
    response.request_id = reply.request_id.clone();
    response.logical_resource_id = reply.logical_resource_id.clone();
    response.data = outcome.data.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_cloudformations_field_names() {
        let reply = ReplyTo {
            response_url: "https://example.com/signed".into(),
            stack_id: "arn:stack".into(),
            request_id: "req-1".into(),
            logical_resource_id: "TelegramBot".into(),
        };
        let outcome = Outcome::success("telegram-bot-1", "ok").with("Username", "some_bot");
        let json = serde_json::to_value(body(&reply, &outcome)).unwrap();
        assert_eq!(json["Status"], "SUCCESS");
        assert_eq!(json["Reason"], "ok");
        assert_eq!(json["PhysicalResourceId"], "telegram-bot-1");
        assert_eq!(json["StackId"], "arn:stack");
        assert_eq!(json["RequestId"], "req-1");
        assert_eq!(json["LogicalResourceId"], "TelegramBot");
        assert_eq!(json["Data"]["Username"], "some_bot");
        assert_eq!(json["NoEcho"], false);
        assert!(!json.to_string().contains("example.com"));

        let failed = Outcome::failed("x", "y".repeat(5000));
        let json = serde_json::to_value(body(&reply, &failed)).unwrap();
        assert_eq!(json["Status"], "FAILED");
        assert_eq!(json["Reason"].as_str().unwrap().len(), 1000);
    }
}
