# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Já faz um tempo, então comecei uma conversa nova. A anterior está em /history.
