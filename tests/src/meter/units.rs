//! DynamoDB's capacity arithmetic, applied to the JSON the SDK sends and moto returns:
//! item sizes by the published rules, and read and write units from them.
//!
//! Sizes follow <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html>:
//! an attribute is its name's UTF-8 length plus its value's size; a string is its UTF-8
//! length, a number about one byte per two digits plus one, a boolean or null one byte,
//! a list or map three bytes plus one per element plus the elements.

use serde_json::Value;

/// The size of one item (an attribute map in DynamoDB JSON), in bytes.
pub fn item_size(item: &Value) -> usize {
    item.as_object().map_or(0, |attrs| {
        attrs
            .iter()
            .map(|(name, value)| name.len() + value_size(value))
            .sum()
    })
}

fn value_size(value: &Value) -> usize {
    let Some((kind, inner)) = value.as_object().and_then(|o| o.iter().next()) else {
        return 0;
    };
    match kind.as_str() {
        "S" => inner.as_str().map_or(0, str::len),
        "N" => number_size(inner.as_str().unwrap_or("0")),
        "B" => inner.as_str().map_or(0, |b64| b64.len() * 3 / 4),
        "BOOL" | "NULL" => 1,
        "SS" => list(inner).map(|s| s.as_str().map_or(0, str::len)).sum(),
        "NS" => list(inner)
            .map(|n| number_size(n.as_str().unwrap_or("0")))
            .sum(),
        "L" => 3 + list(inner).map(|v| 1 + value_size(v)).sum::<usize>(),
        "M" => {
            3 + inner.as_object().map_or(0, |m| {
                m.iter()
                    .map(|(name, v)| 1 + name.len() + value_size(v))
                    .sum()
            })
        }
        _ => 0,
    }
}

fn list(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn number_size(digits: &str) -> usize {
    let significant = digits
        .trim_start_matches('-')
        .trim_start_matches('0')
        .replace('.', "")
        .len();
    significant.div_ceil(2) + 1
}

/// Write units for an item of `size` bytes: one per KiB, at least one; twice that inside
/// a transaction.
pub fn write_units(size: usize, transactional: bool) -> f64 {
    let units = size.div_ceil(1024).max(1) as f64;
    if transactional { units * 2.0 } else { units }
}

/// Read units for `size` bytes read together: one per 4 KiB, at least one; half that for
/// an eventually consistent read, twice that inside a transaction.
pub fn read_units(size: usize, consistent: bool, transactional: bool) -> f64 {
    let units = size.div_ceil(4096).max(1) as f64;
    match (transactional, consistent) {
        (true, _) => units * 2.0,
        (false, true) => units,
        (false, false) => units / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_follow_the_published_rules() {
        let item = json!({
            "pk": {"S": "USER#42"},
            "n": {"N": "12345"},
            "ok": {"BOOL": true},
            "m": {"M": {"a": {"S": "xy"}}},
            "l": {"L": [{"S": "abc"}, {"NULL": true}]}
        });
        // pk 2+7, n 1+(3+1), ok 2+1, m 1+(3+1+1+2), l 1+(3+1+3+1+1)
        assert_eq!(item_size(&item), 9 + 5 + 3 + 8 + 10);
    }

    #[test]
    fn units_round_up_and_double_in_transactions() {
        assert_eq!(write_units(10, false), 1.0);
        assert_eq!(write_units(1025, false), 2.0);
        assert_eq!(write_units(10, true), 2.0);
        assert_eq!(read_units(10, false, false), 0.5);
        assert_eq!(read_units(4097, true, false), 2.0);
        assert_eq!(read_units(10, true, true), 2.0);
    }
}
