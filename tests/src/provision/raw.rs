//! `template.yaml` read as plain YAML, apart from the code that plans from it: what the
//! tests compare the plan and moto against.

use serde_yaml_ng::Value as Yaml;

/// The real template, parsed independently of the code under test.
pub fn raw_template() -> Yaml {
    let text = std::fs::read_to_string(super::template_path()).expect("template.yaml is readable");
    serde_yaml_ng::from_str(&text).expect("template.yaml is YAML")
}

/// `(logical id, Properties)` of the raw template's resources of one type.
pub fn raw_resources<'a>(raw: &'a Yaml, kind: &str) -> Vec<(&'a str, &'a Yaml)> {
    let resources = raw["Resources"].as_mapping().expect("Resources");
    resources
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(id, r)| (id.as_str().expect("string ids"), &r["Properties"]))
        .collect()
}

/// A plain YAML scalar as AWS spells it.
pub fn text(value: &Yaml) -> String {
    match value {
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => s.clone(),
        other => panic!("not a plain scalar: {other:?}"),
    }
}

/// `X` of a raw `!GetAtt X.Arn`.
pub fn get_att_arn(value: &Yaml) -> String {
    let Yaml::Tagged(tagged) = value else {
        panic!("not a tagged value: {value:?}");
    };
    assert!(tagged.tag == "GetAtt", "{value:?}");
    let target = text(&tagged.value);
    target.strip_suffix(".Arn").expect("an .Arn").to_owned()
}
