#!/usr/bin/env python3
"""Checks the deployed shape of template.yaml: what CloudFormation would get after the SAM
transform (samtranslator, offline), not what the YAML says.

    check_template.py [TEMPLATE]        check it; exit 1 with every finding
    check_template.py --self-test       also prove each rule fails on a broken copy

Rules (issue 9: least privilege as deployed, the secret kept, every function observable):
  - no role carries an AWS-managed policy, except the VPC access policy on a function
    that is placed in a VPC, under the same condition;
  - SQS receive/delete only on the function's own event-source queue;
  - no action on "*" but X-Ray's;
  - only the functions that call the model can read the OpenAI key secret;
  - the secrets are values (never GenerateSecretString) kept on delete and replacement;
  - a NoEcho parameter reaches nothing but a secret (and the custom resources' change
    trigger); no environment variable holds one;
  - every function logs to its own log group with a retention, and SQS consumers report
    partial batch failures under a concurrency cap;
  - every alarm notifies someone.
"""

import copy
import logging
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

logging.disable(logging.WARNING)  # samtranslator's own metrics chatter

MODEL_CALLERS = {"ProcessorFunction", "SenderFunction", "StyleRefreshFunction"}
VPC_POLICY = "AWSLambdaVPCAccessExecutionRole"
SQS_CONSUME = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"}


class NoManagedPolicies:
    def load(self):
        return {}


def translate(template):
    """What `sam package` then the SAM transform hand CloudFormation."""
    template = copy.deepcopy(template)
    for name, res in template.get("Resources", {}).items():
        if res.get("Type") == "AWS::Serverless::Function":
            res.setdefault("Properties", {})["CodeUri"] = f"s3://bucket/{name}.zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(template, {}, NoManagedPolicies())


def as_list(value):
    return value if isinstance(value, list) else [value]


def refs(value):
    """Every logical id or parameter that `value` refers to."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                import re

                found |= {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text)}
                if isinstance(inner, list):
                    found |= refs(inner[1])
            else:
                found |= refs(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= refs(inner)
    return found


def statements(role):
    """(policy name, statement) for every inline statement, conditions unwrapped."""
    for policy in role["Properties"].get("Policies", []):
        for candidate in unwrap_if(policy):
            for statement in as_list(candidate["PolicyDocument"]["Statement"]):
                for s in unwrap_if(statement):
                    yield candidate["PolicyName"], s


def unwrap_if(value):
    if isinstance(value, dict) and "Fn::If" in value:
        out = []
        for branch in value["Fn::If"][1:]:
            out += unwrap_if(branch)
        return out
    if value == {"Ref": "AWS::NoValue"}:
        return []
    return [value]


def check(template):
    try:
        out = translate(template)
    except Exception as e:  # the transform's own verdict is a finding too
        return [f"the SAM transform fails: {e}"]
    resources = out["Resources"]
    params = out.get("Parameters", {})
    problems = []
    functions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Lambda::Function"}
    own_queue = {}
    for name, res in resources.items():
        if res["Type"] == "AWS::Lambda::EventSourceMapping":
            props = res["Properties"]
            fn = props["FunctionName"]["Ref"]
            own_queue.setdefault(fn, set()).update(refs(props["EventSourceArn"]))
            if "ReportBatchItemFailures" not in props.get("FunctionResponseTypes", []):
                problems.append(f"{name}: SQS consumer without ReportBatchItemFailures")
            if "MaximumConcurrency" not in props.get("ScalingConfig", {}):
                problems.append(f"{name}: SQS consumer without a MaximumConcurrency")

    for fn, res in functions.items():
        props = res["Properties"]
        role_ids = refs(props.get("Role"))
        if len(role_ids) != 1 or resources.get(next(iter(role_ids)), {}).get("Type") != "AWS::IAM::Role":
            problems.append(f"{fn}: no execution role of its own")
            continue
        role_id = next(iter(role_ids))
        role = resources[role_id]
        in_vpc = "VpcConfig" in props
        managed = role["Properties"].get("ManagedPolicyArns")
        for arn in json.dumps(managed or []).split('"'):
            if "iam::aws:policy" in arn and not (VPC_POLICY in arn and in_vpc):
                problems.append(f"{fn}: AWS-managed policy {arn.rsplit('/', 1)[-1]}")
        if in_vpc and managed is not None:
            vpc_cond = props["VpcConfig"].get("Fn::If", [None])[0]
            if not (isinstance(managed, dict) and managed.get("Fn::If", [None])[0] == vpc_cond):
                problems.append(f"{fn}: the VPC policy is not under the VpcConfig's condition")
        reads_openai = False
        for policy, s in statements(role):
            actions = set(as_list(s["Action"]))
            targets = refs(s["Resource"])
            if "*" in as_list(s["Resource"]) and not all(a.startswith("xray:") for a in actions):
                problems.append(f"{fn}: {sorted(actions)} on *")
            if actions & SQS_CONSUME and not targets <= own_queue.get(fn, set()):
                problems.append(f"{fn}: consumes {sorted(targets - own_queue.get(fn, set()))}, not its own queue")
            if "secretsmanager:GetSecretValue" in actions and "OpenAISecret" in targets:
                reads_openai = True
            if policy == "logs" and not targets <= refs(props.get("LoggingConfig", {})):
                problems.append(f"{fn}: writes logs outside its own log group")
        if reads_openai and fn not in MODEL_CALLERS:
            problems.append(f"{fn}: reads the OpenAI key but never calls the model")
        group = refs(props.get("LoggingConfig", {}).get("LogGroup"))
        if not group or "RetentionInDays" not in resources.get(next(iter(group)), {}).get("Properties", {}):
            problems.append(f"{fn}: no log group of its own with a retention")
        env = props.get("Environment", {}).get("Variables", {})
        for key, value in env.items():
            for p in refs(value):
                if params.get(p, {}).get("NoEcho"):
                    problems.append(f"{fn}: environment variable {key} holds NoEcho parameter {p}")

    secrets = {k: v for k, v in resources.items() if v["Type"] == "AWS::SecretsManager::Secret"}
    for name, res in secrets.items():
        if "GenerateSecretString" in res["Properties"]:
            problems.append(f"{name}: GenerateSecretString (a template edit would regenerate it)")
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            if res.get(policy) != "Retain":
                problems.append(f"{name}: {policy} is not Retain")

    for p, spec in params.items():
        if not spec.get("NoEcho"):
            continue
        for name, res in resources.items():
            if p in refs(res.get("Properties", {})) and res["Type"] != "AWS::SecretsManager::Secret":
                trigger_only = res["Type"].startswith("Custom::") and res["Properties"].get("TokenChange") == {"Ref": p}
                if not trigger_only or p in refs({k: v for k, v in res["Properties"].items() if k != "TokenChange"}):
                    problems.append(f"{name}: NoEcho parameter {p} outside a secret")
        if p in refs(out.get("Outputs", {})):
            problems.append(f"Outputs: NoEcho parameter {p}")

    for name, res in resources.items():
        if res["Type"] == "AWS::CloudWatch::Alarm" and not res["Properties"].get("AlarmActions"):
            problems.append(f"{name}: an alarm that notifies nobody")
    problems += check_custom_metrics(resources)
    return problems


def emitted_metrics():
    """The EMF contract as the code writes it: metric names and `Function` values."""
    import re

    source = open(os.path.join(os.path.dirname(__file__), "..", "shared", "src", "metrics", "mod.rs")).read()
    names = set(re.findall(r'pub const [A-Z_]+: &str = "([A-Za-z]+)";', source))
    functions = set(re.findall(r'Self::[A-Za-z]+ => "([a-z-]+)"', source))
    return names, functions


def check_custom_metrics(resources):
    """The dashboard parses, and the alarms and dashboard read only metrics the code emits
    (a renamed metric would leave a graph empty and an alarm silent)."""
    import re

    problems = []
    names, functions = emitted_metrics()
    read = []
    for name, res in resources.items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::CloudWatch::Dashboard":
            body = props["DashboardBody"]
            text = body["Fn::Sub"] if isinstance(body, dict) else body
            try:
                widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", text))["widgets"]
            except (ValueError, KeyError) as e:
                problems.append(f"{name}: DashboardBody is not a dashboard: {e}")
                continue
            for w in widgets:
                for m in w["properties"]["metrics"]:
                    if m[0].startswith("TelegramBot/"):
                        read.append((name, m[1], m[3]))
        if res["Type"] == "AWS::CloudWatch::Alarm" and "Fn::Sub" in json.dumps(props.get("Namespace", "")):
            dims = {d["Name"]: d["Value"] for d in props.get("Dimensions", [])}
            read.append((name, props["MetricName"], dims.get("Function")))
    for where, metric, function in read:
        if metric not in names:
            problems.append(f"{where}: reads {metric}, which no function emits")
        if function not in functions:
            problems.append(f"{where}: reads Function={function}, which is no function's name")
    if not read:
        problems.append("no alarm or dashboard reads the functions' own metrics")
    return problems


# Each breaks one rule; --self-test proves the check finds it.
def mutations():
    def managed_sqs(t):
        t["Resources"]["SenderFunctionRole"]["Properties"]["ManagedPolicyArns"] = [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
        ]

    def sam_role(t):
        # SAM makes the role itself, with its managed policies.
        del t["Resources"]["ProcessorFunction"]["Properties"]["Role"]
        t["Resources"]["ProcessorSpareRole"] = t["Resources"].pop("ProcessorFunctionRole")

    def foreign_queue(t):
        s = t["Resources"]["SenderFunctionRole"]["Properties"]["Policies"][2]["PolicyDocument"]["Statement"][0]
        s["Resource"] = [s["Resource"], {"Fn::GetAtt": "WorkQueue.Arn"}]

    def openai_for_webhook(t):
        stmts = t["Resources"]["WebhookFunctionRole"]["Properties"]["Policies"][2]["PolicyDocument"]["Statement"]
        stmts.append({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": {"Ref": "OpenAISecret"}})

    def generated_secret(t):
        props = t["Resources"]["BotSecret"]["Properties"]
        del props["SecretString"]
        props["GenerateSecretString"] = {"PasswordLength": 32}

    def secret_not_kept(t):
        del t["Resources"]["OpenAISecret"]["DeletionPolicy"]

    def token_in_env(t):
        t["Globals"]["Function"]["Environment"]["Variables"]["TOKEN"] = {"Ref": "TelegramBotToken"}

    def vpc_everywhere(t):
        t["Resources"]["WebhookFunction"]["Properties"]["VpcConfig"] = {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}
        t["Resources"]["WebhookFunctionRole"]["Properties"]["ManagedPolicyArns"] = [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        ]
        t["Resources"]["ProcessorFunctionRole"]["Properties"]["ManagedPolicyArns"] = [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        ]

    def silent_alarm(t):
        del t["Resources"]["QueueAgeAlarm"]["Properties"]["AlarmActions"]

    def no_retention(t):
        del t["Resources"]["SenderFunctionLogGroup"]["Properties"]["RetentionInDays"]

    def whole_batch(t):
        del t["Resources"]["SenderFunction"]["Properties"]["Events"]["Outbox"]["Properties"]["FunctionResponseTypes"]

    def star(t):
        stmts = t["Resources"]["ProcessorFunctionRole"]["Properties"]["Policies"][2]["PolicyDocument"]["Statement"]
        stmts.append({"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"})

    def renamed_metric(t):
        body = t["Resources"]["Dashboard"]["Properties"]["DashboardBody"]
        body["Fn::Sub"] = body["Fn::Sub"].replace('"RepliesSent"', '"RepliesDelivered"')

    return [renamed_metric, managed_sqs, sam_role, foreign_queue, openai_for_webhook, generated_secret, secret_not_kept,
            token_in_env, vpc_everywhere, silent_alarm, no_retention, whole_batch, star]


def main(argv):
    self_test = "--self-test" in argv
    paths = [a for a in argv if not a.startswith("--")]
    path = paths[0] if paths else os.path.join(os.path.dirname(__file__), "..", "template.yaml")
    source = open(path).read()
    problems = check(yaml_parse(source))
    for p in problems:
        print(f"template: {p}")
    failed = bool(problems)
    if self_test:
        base = yaml_parse(source)
        for mutate in mutations():
            broken = copy.deepcopy(base)
            mutate(broken)
            found = check(broken)
            if found:
                print(f"self-test: {mutate.__name__}: caught ({found[0]})")
            else:
                print(f"self-test: {mutate.__name__}: NOT caught")
                failed = True
    if not failed:
        print("template: the deployed shape holds (least privilege, kept secrets, logs, alarms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
