# Conversations: /history and its buttons, /rename, /retry, /export, the idle timeout.

# Before the answer to a message that came after a long silence.
conversation-idle-fresh-start = Epey zaman geçti, bu yüzden yeni bir sohbet başlattım. Öncekini /history içinde bulabilirsin.

# Above the /history list; ▶ marks the current conversation.
conversation-list-heading = Sohbetlerin (▶ şu anki sohbet):

# /history when there is no conversation at all.
conversation-list-empty = Henüz sohbet yok. Başlamak için bana yazman yeterli.

# The title of a conversation that has none.
conversation-untitled = (başlıksız)

# Button: continue conversation number $n of the list.
conversation-open-button = ▶ { $n } aç

# Button: rename conversation number $n.
conversation-rename-button = ✏️ { $n }

# Button: delete conversation number $n (asks first).
conversation-delete-button = 🗑 { $n }

# Button: yes, delete conversation number $n.
conversation-confirm-delete-button = Evet, { $n } sil

# Button: do not delete after all.
conversation-keep-button = Kalsın

# Above the list while a deletion waits for its confirmation.
conversation-confirm-delete = “{ $title }” kalıcı olarak silinsin mi? Bu geri alınamaz.

# Above the list after a conversation was opened again.
conversation-opened = “{ $title }” sohbetine devam ediyoruz: yazman yeterli.

# Above the list after a conversation was deleted.
conversation-deleted = “{ $title }” silindi.

# Above the list when the pressed conversation is no longer there.
conversation-gone = Bu sohbet artık yok.

# Alert on the rename button: how to rename line $n.
conversation-rename-hint = Yeniden adlandırmak için /rename { $n } ve ardından yeni başlığı gönder.

# After /rename.
conversation-renamed = Yeni adı: “{ $title }”.

# /rename without a title.
conversation-rename-usage = Bu sohbetin yeni başlığı için /rename ve ardından başlığı, /history'deki n. satır için /rename <n> <başlık> gönder.

# /rename names a line or a conversation that is not there.
conversation-rename-missing = /history içinde böyle bir sohbet yok.

# /retry with no reply to write again.
conversation-retry-nothing = Bu sohbette henüz yeniden yazabileceğim bir yanıtım yok.

# /export (or /export all) with nothing said yet.
conversation-export-nothing = Henüz dışa aktarılacak bir şey yok.

# The caption on an exported conversation's file.
conversation-export-caption = “{ $title }”: { $n } mesaj.

# Added to an export's caption when its oldest messages were left out.
conversation-export-cut-note = En eski mesajlar sığmadığı için dahil edilmedi.

# After /export all: how many files were sent.
conversation-export-all-done = { $n } sohbet dışa aktarıldı, her biri ayrı dosyada.

# The first line of an exported file.
conversation-export-heading = # { $title }

# The line under an export's heading.
conversation-export-dated = Başlangıç { $started }, dışa aktarım { $date } (UTC).

# Who spoke, in an export: the user.
conversation-export-you = Sen

# Who spoke, in an export: the bot.
conversation-export-bot = Bot

# In an export, before the notes the bot folded older turns into.
conversation-export-notes = Buraya kadarki sohbete dair notlarım

# In an export, where older messages were left out.
conversation-export-cut = (daha eski mesajlar sığmadı)

# The private command menu.
cmd-rename = Bir sohbeti yeniden adlandır
cmd-retry = Son cevabımı yeniden yaz
