# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Давно не спілкувалися, тож я почав нову розмову. Попередня — в /history.
