# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Ha pasado un tiempo, así que empecé una conversación nueva. La anterior está en /history.
