# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Hallo sagen
cmd-help = Was ich kann
cmd-persona = Auswählen, wer ich für dich bin
cmd-settings = Sprachantworten, Transkripte, Modell
cmd-voice = Sprachantworten: /voice on oder off
cmd-cancel = Die Antwort anhalten, die ich schreibe
cmd-new-style = Lernen, wie du schreibst
cmd-style = Stil zeigen oder Nachahmung umschalten
cmd-reset = Ein neues Gespräch beginnen
cmd-history = Deine letzten Gespräche
cmd-export = Dieses Gespräch als Datei
cmd-usage = Was du verbraucht hast
cmd-subscribe = Deinen Zugang prüfen
cmd-group-persona = Auswählen, wer ich in dieser Gruppe bin (Admins)
cmd-group-settings = Sprachantworten, Transkripte, Modell (Admins)

join-channel-button = Dem Kanal beitreten
voice-replies-button = 🎙 Sprachantworten: { $state } (tippen für { $next })
transcripts-button = 📝 Transkripte zeigen: { $state } (tippen für { $next })
persona-parent = Elternteil
persona-spouse = Ehepartner
persona-child = Kind
persona-sibling = Geschwister
persona-friend = Freund
persona-colleague = Kollege
persona-other = Andere (beschreiben)
