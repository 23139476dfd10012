//! Invoking the functions' handlers the way Lambda does: Function URL events for the
//! webhook, SQS batches for the three queue-fed stages, a scheduled event for style-refresh.

use std::time::Duration;

use anyhow::Context;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use http::StatusCode;
use serde_json::Value;
use shared::clock::Deadline;
use shared::handlers::style_refresh::{self, RefreshSummary, StyleRefreshEvent};
use shared::handlers::{processor, sender, subscription, webhook};

use super::{LOCAL_WEBHOOK_SECRET, Stack, Stage};

impl Stack {
    /// Calls the webhook with a Lambda Function URL event, as Lambda would.
    pub async fn invoke_webhook(&self, event: &Value) -> anyhow::Result<(StatusCode, Value)> {
        let lambda_request: lambda_http::request::LambdaRequest =
            serde_json::from_value(event.clone()).context("not a Function URL event")?;
        let request: lambda_http::Request = lambda_request.into();
        let response = Box::pin(webhook::handle(&self.webhook, request))
            .await
            .map_err(|e| anyhow::anyhow!("webhook handler error: {e}"))?;
        let status = response.status();
        let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
        // Telegram executes a method returned in the response body.
        self.telegram.record_webhook_response(&body);
        Ok((status, body))
    }

    /// POSTs an update to the webhook with the right secret.
    pub async fn post_update(&self, update: &Value) -> anyhow::Result<(StatusCode, Value)> {
        Box::pin(self.post_update_with_secret(update, Some(LOCAL_WEBHOOK_SECRET))).await
    }

    /// POSTs an update to the webhook with `secret` as the secret-token header (or none).
    pub async fn post_update_with_secret(
        &self,
        update: &Value,
        secret: Option<&str>,
    ) -> anyhow::Result<(StatusCode, Value)> {
        let body = update.to_string();
        let event = crate::updates::function_url_event("POST", "/", secret, Some(&body));
        Box::pin(self.invoke_webhook(&event)).await
    }

    /// The next delivery of `stage` runs its handler fully but "crashes" before SQS hears
    /// back, so nothing is deleted and every record comes back after the visibility timeout.
    pub fn crash_after_next_batch(&self, stage: Stage) {
        self.crash_after_handling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stage);
    }

    /// How many times a stage's handler has been invoked.
    pub fn invocations(&self, stage: Stage) -> usize {
        self.invocations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&stage)
            .copied()
            .unwrap_or(0)
    }

    /// When `stage`'s handler was handed an event, oldest first.
    pub fn invoked_at(&self, stage: Stage) -> Vec<std::time::Instant> {
        self.invoked_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(s, _)| *s == stage)
            .map(|(_, at)| *at)
            .collect()
    }

    /// Runs one SQS event through a stage's handler, with the template's timeouts.
    pub async fn invoke_stage(
        &self,
        stage: Stage,
        event: SqsEvent,
    ) -> anyhow::Result<SqsBatchResponse> {
        let timeout = self
            .resources
            .consumer(self.queue_url(stage))
            .with_context(|| format!("template.yaml feeds no function from {stage:?}'s queue"))?
            .timeout;
        self.invoke_stage_within(stage, event, timeout).await
    }

    /// Like [`Self::invoke_stage`], as a function with `timeout` (its deadline).
    pub async fn invoke_stage_within(
        &self,
        stage: Stage,
        event: SqsEvent,
        timeout: Duration,
    ) -> anyhow::Result<SqsBatchResponse> {
        *self
            .invocations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(stage)
            .or_default() += 1;
        self.invoked_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((stage, std::time::Instant::now()));
        let deadline = Deadline::after(timeout);
        let result = match stage {
            Stage::Subscription => subscription::handle(&self.subscription, event).await,
            Stage::Processor => Box::pin(processor::handle(&self.processor, event, deadline)).await,
            Stage::Sender => sender::handle(&self.sender, event, deadline).await,
        };
        result.map_err(|e| anyhow::anyhow!("{} failed the whole batch: {e}", stage.function()))
    }

    /// Runs style-refresh as its schedule would, with the template's timeout as deadline.
    pub async fn invoke_style_refresh(
        &self,
        event: StyleRefreshEvent,
    ) -> anyhow::Result<RefreshSummary> {
        let timeout = self
            .resources
            .plan
            .function("StyleRefreshFunction")
            .context("template.yaml declares no StyleRefreshFunction")?
            .timeout;
        let deadline = shared_now_ms() + i64::try_from(timeout.as_millis())?;
        style_refresh::handle(
            &self.style,
            &shared::clock::SystemClock,
            event,
            deadline,
            self.config.style_min_new_messages,
        )
        .await
        .map_err(|e| anyhow::anyhow!("style-refresh: {e}"))
    }
}

/// Milliseconds since the Unix epoch, as Lambda's deadlines count them.
fn shared_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
