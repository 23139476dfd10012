# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = It's been a while, so I started a new conversation. The earlier one is in /history.
