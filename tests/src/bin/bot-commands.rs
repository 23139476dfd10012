//! Prints the `setMyCommands` requests for the bot's menus (private chats and groups),
//! one JSON object per line, checked against the Bot API description. Register them with
//!   cargo run -q -p testkit --bin bot-commands | while read -r body; do
//!     curl -s "https://api.telegram.org/bot$TOKEN/setMyCommands" -H 'content-type: application/json' -d "$body"; done

use serde_json::{Value, json};
use shared::domain::menu;

fn request(commands: &[(&str, &str)], scope: &str) -> Value {
    json!({
        "commands": commands.iter().map(|(c, d)| json!({"command": c, "description": d})).collect::<Vec<_>>(),
        "scope": {"type": scope},
    })
}

pub fn requests() -> Vec<Value> {
    vec![
        request(menu::PRIVATE, "all_private_chats"),
        request(menu::GROUP, "all_group_chats"),
    ]
}

#[allow(clippy::print_stdout)]
fn main() -> std::process::ExitCode {
    for body in requests() {
        if let Err(e) = testkit::spec::telegram().check_request("setMyCommands", &body) {
            eprintln!("bot-commands: not a valid setMyCommands request: {e}");
            return std::process::ExitCode::FAILURE;
        }
        println!("{body}");
    }
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    #[test]
    fn menus_are_valid_set_my_commands_requests() {
        for body in super::requests() {
            testkit::spec::telegram()
                .check_request("setMyCommands", &body)
                .unwrap();
        }
    }
}
