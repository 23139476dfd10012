# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Epey zaman geçti, bu yüzden yeni bir sohbet başlattım. Öncekini /history içinde bulabilirsin.
