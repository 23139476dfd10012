//! `template.yaml` read as CloudFormation sees it: parameters with their defaults and
//! resources with their properties, intrinsic functions kept as calls to resolve later.
//!
//! YAML's short forms (`!Ref X`, `!GetAtt X.Arn`, `!Sub '…'`, `!If [...]`) arrive as tagged
//! values and the long forms (`{Ref: X}`, `{"Fn::GetAtt": [X, Arn]}`) as one-key maps; both
//! become [`Cfn::Call`], so nothing downstream mistakes a reference for a plain string.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde_yaml_ng::Value as Yaml;

/// A template value: plain YAML, or an intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub enum Cfn {
    /// `~` or an empty value.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// A number, as written (`180`, `0.5`).
    Number(String),
    /// A string.
    String(String),
    /// A sequence.
    List(Vec<Cfn>),
    /// A mapping with string keys.
    Map(BTreeMap<String, Cfn>),
    /// An intrinsic function: `Ref`, or `Fn::X` named `X` (`GetAtt`, `Sub`, `If`…).
    Call(String, Box<Cfn>),
}

/// One resource of the template.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The resource type, e.g. `AWS::SQS::Queue`.
    pub kind: String,
    /// Its `Properties`, empty when it has none.
    pub properties: BTreeMap<String, Cfn>,
    /// Its `Condition`, which the local stack does not evaluate.
    pub condition: Option<String>,
}

/// The parts of a template that describe resources.
#[derive(Clone, Debug)]
pub struct Template {
    /// Each parameter's `Default`, `None` when it has none (a NoEcho secret, say).
    pub parameters: BTreeMap<String, Option<Cfn>>,
    /// Resources by logical id.
    pub resources: BTreeMap<String, Resource>,
    /// SAM's `Globals.Function`: what every function gets unless it says otherwise.
    pub global_function: BTreeMap<String, Cfn>,
}

impl Template {
    /// Reads and parses a template file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Parses a template's text.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let root = cfn(serde_yaml_ng::from_str(text).context("not YAML")?)?;
        let parameters = section(&root, "Parameters")?
            .iter()
            .map(|(name, p)| (name.clone(), field(p, "Default").cloned()))
            .collect();
        let resources = section(&root, "Resources")?
            .iter()
            .map(|(id, r)| Ok((id.clone(), resource(id, r)?)))
            .collect::<anyhow::Result<_>>()?;
        let global_function = match section(&root, "Globals")?.get("Function") {
            None => BTreeMap::new(),
            Some(function) => function.as_map("Globals.Function")?.clone(),
        };
        Ok(Self {
            parameters,
            resources,
            global_function,
        })
    }

    /// A value with `!Ref Parameter` replaced by that parameter's `Default`; `at` names
    /// the value in errors. Any other intrinsic is an error: what it stands for exists
    /// only in a deployed stack.
    pub fn scalar(&self, value: &Cfn, at: &str) -> anyhow::Result<String> {
        match value {
            Cfn::String(s) | Cfn::Number(s) => Ok(s.clone()),
            Cfn::Bool(b) => Ok(b.to_string()),
            Cfn::Call(name, arg) if name == "Ref" => {
                let Cfn::String(target) = arg.as_ref() else {
                    bail!("{at}: !Ref of something other than a name");
                };
                match self.parameters.get(target) {
                    Some(Some(default)) => self.scalar(default, &format!("{at} (!Ref {target})")),
                    Some(None) => bail!("{at}: !Ref {target}, a parameter with no Default"),
                    None => bail!("{at}: !Ref {target}, which is not a parameter"),
                }
            }
            Cfn::Call(name, _) => bail!("{at}: !{name} cannot be resolved locally"),
            Cfn::Null | Cfn::List(_) | Cfn::Map(_) => bail!("{at}: expected a single value"),
        }
    }

    /// [`Self::scalar`] read as a whole number.
    pub fn number(&self, value: &Cfn, at: &str) -> anyhow::Result<u32> {
        let text = self.scalar(value, at)?;
        text.parse()
            .with_context(|| format!("{at}: `{text}` is not a whole number"))
    }

    /// [`Self::scalar`] read as `true`/`false`.
    pub fn boolean(&self, value: &Cfn, at: &str) -> anyhow::Result<bool> {
        match self.scalar(value, at)?.as_str() {
            "true" | "True" => Ok(true),
            "false" | "False" => Ok(false),
            other => bail!("{at}: `{other}` is not true or false"),
        }
    }
}

impl Cfn {
    /// The mapping inside, or an error naming `at`.
    pub fn as_map(&self, at: &str) -> anyhow::Result<&BTreeMap<String, Cfn>> {
        match self {
            Cfn::Map(map) => Ok(map),
            _ => bail!("{at}: expected a mapping"),
        }
    }

    /// The list inside, or an error naming `at`.
    pub fn as_list(&self, at: &str) -> anyhow::Result<&[Cfn]> {
        match self {
            Cfn::List(list) => Ok(list),
            _ => bail!("{at}: expected a list"),
        }
    }

    /// The logical id a `!Ref X` names, if this is one.
    pub fn ref_target(&self) -> Option<&str> {
        match self {
            Cfn::Call(name, arg) if name == "Ref" => match arg.as_ref() {
                Cfn::String(target) => Some(target),
                _ => None,
            },
            _ => None,
        }
    }

    /// `(logical id, attribute)` of a `!GetAtt X.Attr` or `{"Fn::GetAtt": [X, Attr]}`.
    pub fn get_att(&self) -> Option<(&str, &str)> {
        let Cfn::Call(name, arg) = self else {
            return None;
        };
        if name != "GetAtt" {
            return None;
        }
        match arg.as_ref() {
            Cfn::String(dotted) => dotted.split_once('.'),
            Cfn::List(parts) => match parts.as_slice() {
                [Cfn::String(id), Cfn::String(attribute)] => Some((id, attribute)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Converts parsed YAML, turning tags and one-key `Ref`/`Fn::` maps into calls.
fn cfn(yaml: Yaml) -> anyhow::Result<Cfn> {
    Ok(match yaml {
        Yaml::Null => Cfn::Null,
        Yaml::Bool(b) => Cfn::Bool(b),
        Yaml::Number(n) => Cfn::Number(n.to_string()),
        Yaml::String(s) => Cfn::String(s),
        Yaml::Sequence(items) => Cfn::List(items.into_iter().map(cfn).collect::<Result<_, _>>()?),
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            Cfn::Call(name.to_owned(), Box::new(cfn(tagged.value)?))
        }
        Yaml::Mapping(mapping) => {
            let mut map = BTreeMap::new();
            for (key, value) in mapping {
                let Yaml::String(key) = key else {
                    bail!("a mapping key that is not a string: {key:?}");
                };
                map.insert(key, cfn(value)?);
            }
            long_form_call(map)
        }
    })
}

/// `{Ref: X}` and `{"Fn::Name": arg}` are the long forms of intrinsic functions.
fn long_form_call(mut map: BTreeMap<String, Cfn>) -> Cfn {
    if map.len() == 1
        && let Some(key) = map.keys().next().cloned()
    {
        let name = if key == "Ref" {
            Some("Ref")
        } else {
            key.strip_prefix("Fn::")
        };
        if let Some(name) = name {
            let name = name.to_owned();
            let arg = map.remove(&key).unwrap_or(Cfn::Null);
            return Cfn::Call(name, Box::new(arg));
        }
    }
    Cfn::Map(map)
}

/// A top-level section as a mapping; absent sections are empty.
fn section<'a>(root: &'a Cfn, name: &str) -> anyhow::Result<&'a BTreeMap<String, Cfn>> {
    static EMPTY: BTreeMap<String, Cfn> = BTreeMap::new();
    match field(root, name) {
        None => Ok(&EMPTY),
        Some(value) => value.as_map(name),
    }
}

/// A key of a mapping; `None` for other values too.
fn field<'a>(value: &'a Cfn, key: &str) -> Option<&'a Cfn> {
    match value {
        Cfn::Map(map) => map.get(key),
        _ => None,
    }
}

/// One entry of `Resources`.
fn resource(id: &str, raw: &Cfn) -> anyhow::Result<Resource> {
    let kind = match field(raw, "Type") {
        Some(Cfn::String(kind)) => kind.clone(),
        _ => bail!("resource {id} has no Type"),
    };
    let properties = match field(raw, "Properties") {
        None => BTreeMap::new(),
        Some(p) => p.as_map(&format!("{id}.Properties"))?.clone(),
    };
    let condition = match field(raw, "Condition") {
        None => None,
        Some(Cfn::String(c)) => Some(c.clone()),
        Some(_) => return Err(anyhow!("{id}.Condition is not a condition name")),
    };
    Ok(Resource {
        kind,
        properties,
        condition,
    })
}

/// The `Environment.Variables` of a function's properties (or of SAM's `Globals.Function`);
/// `at` names them in errors.
pub fn env_variables(
    properties: &BTreeMap<String, Cfn>,
    at: &str,
) -> anyhow::Result<BTreeMap<String, Cfn>> {
    match properties
        .get("Environment")
        .and_then(|e| field(e, "Variables"))
    {
        None => Ok(BTreeMap::new()),
        Some(variables) => Ok(variables.as_map(at)?.clone()),
    }
}
