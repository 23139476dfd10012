# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Ça fait un moment, alors j'ai commencé une nouvelle conversation. La précédente est dans /history.
