#!/usr/bin/env python3
"""Regenerates events/ from the recorded payloads in tests/fixtures/.

Each file is a real Telegram payload wrapped in the Lambda envelope its function
receives: a Function URL request (payload 2.0), an SQS batch, or the EventBridge
schedule event; or a CloudFormation custom resource request for telegram-setup.
File names start with the function they are for.
Run: python3 scripts/gen-events.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "telegram" / "updates"
OUT = ROOT / "events"
SECRET = "local-dev-webhook-secret"  # testkit::stack::LOCAL_WEBHOOK_SECRET
TOKEN = "123456789:LOCAL-dev-token_for-the-stand-in"  # testkit::stack::LOCAL_BOT_TOKEN
BOT_ID = TOKEN.split(":")[0]


def fixture(name):
    return (FIX / name).read_text()


def function_url(method, path, body=None, secret=SECRET):
    headers = {
        "content-type": "application/json",
        "host": "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
        "x-forwarded-for": "91.108.6.66",
        "x-forwarded-proto": "https",
    }
    if secret is not None:
        headers["x-telegram-bot-api-secret-token"] = secret
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnopqrstuvwxyz012345",
            "domainName": "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
            "domainPrefix": "abcdefghijklmnopqrstuvwxyz012345",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "91.108.6.66", "userAgent": ""},
            "requestId": "0e5b3a5c-6f8b-4c1e-9d3a-2f1f8c7d9e10",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795341600000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def sqs(queue, records):
    out = []
    for i, (body, group, dedup) in enumerate(records):
        out.append({
            "messageId": f"0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f{i}",
            "receiptHandle": f"AQEB-local-receipt-handle-{queue}-{i}",
            "body": json.dumps(body, ensure_ascii=False),
            "attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "1795341600000",
                "SequenceNumber": f"1879960300000000000{i}",
                "MessageGroupId": group,
                "SenderId": "AROAEXAMPLE:webhook",
                "MessageDeduplicationId": dedup,
                "ApproximateFirstReceiveTimestamp": "1795341600100",
            },
            "messageAttributes": {},
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}.fifo",
            "awsRegion": "us-east-1",
        })
    return {"Records": out}


def write(name, obj):
    (OUT / name).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def message_job(update, command=None):
    m = update["message"]
    job = {
        "update_id": update["update_id"],
        "chat_id": m["chat"]["id"],
        "message_id": m["message_id"],
        "date": m["date"],
        "from": {k: m["from"][k] for k in ("id", "first_name", "username", "language_code") if k in m["from"]},
        "text": m["text"],
    }
    if command:
        job["command"] = command
    return job


private = json.loads(fixture("02-private-text-minimal.json"))
private["message"]["text"] = "Hi! How was your day?"

write("webhook-private-text.json", function_url("POST", "/", fixture("02-private-text-minimal.json")))
write("webhook-start-command.json", function_url("POST", "/", fixture("03-start-command-bot-command-entity.json")))
write("webhook-chat-member.json", function_url("POST", "/", fixture("25-chat-member-user-left-supergroup.json")))
write("webhook-unknown-update.json", function_url("POST", "/", fixture("70-unknown-update-type.json")))
write("webhook-wrong-secret.json", function_url("POST", "/", fixture("02-private-text-minimal.json"), secret="wrong"))
# Liveness for anyone; the detailed report (config, dependency probes) needs the secret.
write("webhook-health.json", function_url("GET", "/health", secret=None))
write("webhook-health-detailed.json", function_url("GET", "/health"))
write("webhook-voice-note.json", function_url("POST", "/", fixture("26-voice-note.json")))
write("webhook-photo.json", function_url("POST", "/", fixture("29-photo-4-sizes-caption-entities.json")))
# A member of a supergroup addresses the bot (BOT_USERNAME=companion_bot locally).
group = json.loads(fixture("13-supergroup-reply.json"))
group["message"].pop("reply_to_message", None)
group["message"]["text"] = "@companion_bot what do you think?"
group["message"]["entities"] = [{"offset": 0, "length": 14, "type": "mention"}]
write("webhook-group-mention.json", function_url("POST", "/", json.dumps(group, ensure_ascii=False)))
# A ban, as real Telegram sends it: no until_date (frankenstein's ChatMemberBanned needs one).
kick = json.loads(fixture("25-chat-member-user-left-supergroup.json"))
kick["chat_member"]["new_chat_member"] = dict(kick["chat_member"]["new_chat_member"], status="kicked")
write("webhook-chat-member-kicked.json", function_url("POST", "/", json.dumps(kick, ensure_ascii=False)))
# A group became a supergroup: the service message in the old group.
write("webhook-group-migrated.json", function_url("POST", "/", fixture("47-migrate-to-chat-id.json")))
# An anonymous admin addresses the bot in a supergroup (sender_chat is the group itself).
anon = json.loads(fixture("46-anonymous-admin-sender-chat-migrate.json"))
del anon["message"]["migrate_from_chat_id"]
anon["message"]["text"] = "@companion_bot hello from the admins"
anon["message"]["entities"] = [{"offset": 0, "length": 14, "type": "mention"}]
write("webhook-anonymous-admin.json", function_url("POST", "/", json.dumps(anon, ensure_ascii=False)))
# The user pressed stop on a streamed draft (Bot API 10.3).
stopped = {"update_id": 910000090, "stopped_message_generation": {
    "chat": {"id": 408258968, "first_name": "Hirrolot", "username": "hirrolot", "type": "private"},
    "draft_id": 306197399}}
write("webhook-stopped-generation.json", function_url("POST", "/", json.dumps(stopped)))

job = message_job(private)
chat_group = f"chat-{job['chat_id']}"
write("subscription-check-message.json",
      sqs("bot-inbound", [(dict(kind="message", **job), chat_group, f"upd-{job['update_id']}")]))
member = json.loads(fixture("25-chat-member-user-left-supergroup.json"))["chat_member"]
write("subscription-check-member-update.json",
      sqs("bot-inbound", [({"kind": "member_update", "update_id": 910000007,
                            "user_id": member["new_chat_member"]["user"]["id"], "status": "left"},
                           f"member-{member['new_chat_member']['user']['id']}", "upd-910000007")]))
write("processor-message.json", sqs("bot-work", [(job, chat_group, f"upd-{job['update_id']}")]))
reset = dict(private, update_id=private["update_id"] + 1)
reset["message"] = dict(private["message"], text="/reset", message_id=155)
write("processor-reset.json", sqs("bot-work", [(message_job(reset, "reset"), chat_group, f"upd-{reset['update_id']}")]))
write("sender-reply.json", sqs("bot-outbox", [({
    "delivery_id": f"reply-{job['update_id']}",
    "chat_id": job["chat_id"],
    "user_id": job["from"]["id"],
    "text": "It was lovely, thanks for asking! How about yours?",
}, chat_group, f"reply-{job['update_id']}")]))
# A model reply in Markdown for a user with /voice on: text parts, then a voice note.
write("sender-voice-reply.json", sqs("bot-outbox", [({
    "delivery_id": f"reply-{job['update_id'] + 7}",
    "chat_id": job["chat_id"],
    "user_id": job["from"]["id"],
    "text": "It was **lovely**, thanks for asking! How about yours?",
    "markdown": True,
    "voice": True,
}, chat_group, f"reply-{job['update_id'] + 7}")]))
write("style-refresh-schedule.json", {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-11-22T03:00:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/bot-StyleRefreshFunctionRefresh"],
    "detail": {},
})
write("style-refresh-user.json", {"user_id": job["from"]["id"]})

# CloudFormation custom resource requests for telegram-setup, as CloudFormation sends them:
# every property value a string, ServiceToken among the properties, a pre-signed S3
# ResponseURL (the harness points it at a local stand-in, keeping path and query).
# TokenChange holds the bot token only so that a new token re-runs the resource.
STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/companion-bot/5b8b6a10-c79a-11f1-9f3e-0a1b2c3d4e5f"
SERVICE_TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:companion-bot-TelegramSetupFunction-Q1w2E3r4T5y6"
WEBHOOK_URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/"


def custom_resource(request_type, logical, resource_type, properties, request_id, physical=None, old=None):
    quoted = STACK.replace(":", "%3A").replace("/", "%2F")
    url = ("https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/"
           f"{quoted}%7C{logical}%7C{request_id}"
           "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261122T100000Z&X-Amz-SignedHeaders=host"
           "&X-Amz-Expires=7200&X-Amz-Credential=AKIA6EXAMPLE2X7Q4PZK%2F20261122%2Fus-east-1%2Fs3%2Faws4_request"
           "&X-Amz-Signature=4f0a6a1d3c2b9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f")
    event = {
        "RequestType": request_type,
        "ServiceToken": SERVICE_TOKEN,
        "ResponseURL": url,
        "StackId": STACK,
        "RequestId": request_id,
        "LogicalResourceId": logical,
        "ResourceType": resource_type,
    }
    if physical is not None:
        event["PhysicalResourceId"] = physical
    event["ResourceProperties"] = dict(ServiceToken=SERVICE_TOKEN, **properties)
    if old is not None:
        event["OldResourceProperties"] = dict(ServiceToken=SERVICE_TOKEN, **old)
    return event


hook = {"Action": "webhook", "WebhookUrl": WEBHOOK_URL, "MaxConnections": "40", "TokenChange": TOKEN}
write("telegram-setup-webhook-create.json", custom_resource(
    "Create", "TelegramWebhook", "Custom::TelegramWebhook", hook, "9c1e6c0a-3f7b-4d2e-8a51-6b0f2d9e7c41"))
write("telegram-setup-webhook-update.json", custom_resource(
    "Update", "TelegramWebhook", "Custom::TelegramWebhook", dict(hook, MaxConnections="100"),
    "2d7f4b3e-91a6-4c58-b0e2-7f3a1c9d5e86", physical=f"telegram-webhook-{BOT_ID}", old=hook))
write("telegram-setup-webhook-delete.json", custom_resource(
    "Delete", "TelegramWebhook", "Custom::TelegramWebhook", dict(hook, MaxConnections="100"),
    "e5a8c2f1-6d4b-4f97-a3c0-1b8e9d2f7a53", physical=f"telegram-webhook-{BOT_ID}"))
write("telegram-setup-identity-create.json", custom_resource(
    "Create", "TelegramBot", "Custom::TelegramBot", {"Action": "identity", "TokenChange": TOKEN},
    "4b9d1e7a-2c6f-4a83-9e05-d3f7b1a8c264"))

# The conversation the local chat replays when no terminal is attached.
lines = ["Hi! How was your day?", "I finally finished that book lol 😂", "/persona parent",
         "what should I read next?", "/new_style", "ok ok, one more recommendation pls",
         "/persona custom Anna: my older sister who teases me about my cooking",
         "guess what I made for dinner", "/reset", "hello again!", "/voice on",
         "tell me about your evening", "/voice off", "VOICE", "PHOTO"]
updates = []
for i, text in enumerate(lines):
    u = json.loads(fixture("02-private-text-minimal.json"))
    u["update_id"] += 10 + i
    u["message"]["message_id"] += 10 + i
    u["message"]["date"] += 60 * i
    if text == "VOICE":
        # Served by the stand-in as a voice note saying "what a lovely evening it is"
        # (testkit::Stack::add_demo_files).
        del u["message"]["text"]
        u["message"]["voice"] = {"duration": 3, "mime_type": "audio/ogg", "file_id": "demo-voice-1",
                                 "file_unique_id": "AgADdemo0001", "file_size": 4096}
    elif text == "PHOTO":
        del u["message"]["text"]
        u["message"]["photo"] = [{"file_id": "demo-photo-1", "file_unique_id": "AgADdemo0002",
                                  "file_size": 34, "width": 640, "height": 480}]
        u["message"]["caption"] = "look at this sunset"
    else:
        u["message"]["text"] = text
    if text.startswith("/"):
        u["message"]["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
    updates.append(u)
(OUT / "conversations" / "demo.json").write_text(json.dumps(updates, indent=2, ensure_ascii=False) + "\n")
print(f"wrote {len(list(OUT.glob('*.json')))} events and conversations/demo.json")
