//! Prints the `setMyCommands` requests for the bot's menus (private chats and groups),
//! one JSON object per line, checked against the Bot API description. A deploy registers
//! them itself (the `telegram-setup` function); by hand, with
//!   cargo run -q -p testkit --bin bot-commands | while read -r body; do
//!     curl -s "https://api.telegram.org/bot$TOKEN/setMyCommands" -H 'content-type: application/json' -d "$body"; done

use serde_json::Value;

/// The bodies the `telegram-setup` function sends on each deploy, built by the same code.
pub fn requests() -> Vec<Value> {
    shared::adapters::telegram::setup::menu_requests()
        .iter()
        .map(|params| serde_json::to_value(params).expect("serialisable"))
        .collect()
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
