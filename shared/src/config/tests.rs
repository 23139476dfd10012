use super::*;
use std::collections::HashMap;

fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

const BASE: [(&str, &str); 2] = [("TABLE_NAME", "t"), ("SECRET_ID", "s")];

#[test]
fn missing_required_variable_is_named() {
    assert_eq!(
        load(&[("SECRET_ID", "s")]).unwrap_err().to_string(),
        "missing required environment variable TABLE_NAME"
    );
    assert_eq!(
        load(&[("TABLE_NAME", "t")]).unwrap_err(),
        ConfigError::Missing("SECRET_ID")
    );
    let cfg = load(&BASE).unwrap();
    assert_eq!(
        cfg.queue_url(QueueName::Work).unwrap_err().to_string(),
        "missing required environment variable WORK_QUEUE_URL"
    );
}

#[test]
fn the_setup_function_needs_only_the_secret() {
    let setup = |vars: &[(&str, &str)]| {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        SetupConfig::from_lookup(|k| map.get(k).map(|v| (*v).to_owned()))
    };
    let cfg = setup(&[("SECRET_ID", "s")]).unwrap();
    assert_eq!(cfg.secret_id, "s");
    assert_eq!(cfg.telegram_api_base_url, DEFAULT_TELEGRAM_API_BASE_URL);
    assert_eq!(cfg.telegram_timeout, Duration::from_secs(5));
    assert_eq!(setup(&[]).unwrap_err(), ConfigError::Missing("SECRET_ID"));
    let err = setup(&[("SECRET_ID", "s"), ("TELEGRAM_API_BASE_URL", "localhost")]).unwrap_err();
    assert!(err.to_string().contains("TELEGRAM_API_BASE_URL"), "{err}");
}

#[test]
fn defaults_apply() {
    let cfg = load(&BASE).unwrap();
    assert_eq!(cfg.openai_model, "gpt-4o-mini");
    assert_eq!(cfg.openai_base_url, "https://api.openai.com/v1");
    assert_eq!(cfg.telegram_api_base_url, "https://api.telegram.org");
    assert_eq!(cfg.membership_ttl, Duration::from_secs(600));
    assert_eq!(cfg.rate_limit.per_minute, 20);
    assert!(cfg.channel.is_none() && cfg.allowed_user_ids.is_empty() && cfg.redis_url.is_none());
}

#[test]
fn parses_lists_and_rejects_garbage() {
    let mut vars = BASE.to_vec();
    vars.push(("ALLOWED_USER_IDS", " 1, 22 ,333,"));
    vars.push(("CHANNEL_ID", "@my_channel"));
    vars.push(("OPENAI_BASE_URL", "http://127.0.0.1:9/v1/"));
    let cfg = load(&vars).unwrap();
    assert_eq!(
        cfg.allowed_user_ids,
        vec![UserId::new(1), UserId::new(22), UserId::new(333)]
    );
    assert_eq!(cfg.openai_base_url, "http://127.0.0.1:9/v1");
    assert_eq!(cfg.channel.unwrap().chat_id_param(), "@my_channel");

    let mut bad = BASE.to_vec();
    bad.push(("ALLOWED_USER_IDS", "12,abc"));
    let err = load(&bad).unwrap_err().to_string();
    assert!(
        err.contains("ALLOWED_USER_IDS") && err.contains("abc"),
        "{err}"
    );

    let mut vars = BASE.to_vec();
    vars.push(("DAILY_TOKEN_LIMIT", "20000"));
    vars.push(("MONTHLY_COST_LIMIT_USD", "1.5"));
    vars.push(("RATE_LIMIT_PER_MINUTE", "0"));
    let loaded = load(&vars).unwrap();
    assert!(!loaded.rate_limit.is_on());
    let limits = loaded.limits;
    assert_eq!(
        (limits.daily_tokens, limits.monthly_cost_micros),
        (Some(20_000), Some(1_500_000))
    );
    assert_eq!(
        (limits.monthly_tokens, limits.daily_cost_micros),
        (None, None)
    );

    let mut bad = BASE.to_vec();
    bad.push(("OPENAI_API_MODE", "assistants"));
    assert!(
        load(&bad)
            .unwrap_err()
            .to_string()
            .contains("OPENAI_API_MODE")
    );

    let mut bad = BASE.to_vec();
    bad.push(("DAILY_COST_LIMIT_USD", "a lot"));
    assert!(
        load(&bad)
            .unwrap_err()
            .to_string()
            .contains("DAILY_COST_LIMIT_USD")
    );

    let mut bad = BASE.to_vec();
    bad.push(("AUDIO_PRICES", "whisper-1=cheap"));
    assert!(load(&bad).unwrap_err().to_string().contains("AUDIO_PRICES"));
    let mut bad = BASE.to_vec();
    bad.push(("MODEL_PRICES", "gpt-4o=cheap"));
    assert!(load(&bad).unwrap_err().to_string().contains("MODEL_PRICES"));

    let mut bad = BASE.to_vec();
    bad.push(("ADMIN_USER_IDS", "root"));
    assert!(
        load(&bad)
            .unwrap_err()
            .to_string()
            .contains("ADMIN_USER_IDS")
    );

    let mut bad = BASE.to_vec();
    bad.push(("OPENAI_TIMEOUT_SECS", "-1"));
    assert!(
        load(&bad)
            .unwrap_err()
            .to_string()
            .contains("OPENAI_TIMEOUT_SECS")
    );

    let mut bad = BASE.to_vec();
    bad.push(("CHANNEL_ID", "my channel"));
    assert!(load(&bad).unwrap_err().to_string().contains("CHANNEL_ID"));
}
