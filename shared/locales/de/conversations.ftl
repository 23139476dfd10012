# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Es ist eine Weile her, also habe ich ein neues Gespräch begonnen. Das vorige findest du unter /history.
