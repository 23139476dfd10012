# /help: one line per command, the command itself as the user types it.

help-intro-private = Write anything, send a voice note or a photo, and I'll answer.
help-intro-group = In this group, mention me or reply to one of my messages, and I'll answer.
help-reset = /reset – start a new conversation
help-new-style = /new_style – learn how you write from your recent messages
help-style = /style – show your style profile; /style on or off toggles imitation
help-persona = /persona – choose who I am for you
help-persona-custom = /persona custom Name: description – describe someone of your own
help-usage = /usage – what you have used today, this month and in all
help-history = /history – your last conversations
help-export = /export – this conversation as a Markdown file
help-settings = /settings – voice replies, transcripts, model
help-voice = /voice on or off – also answer with voice notes
help-language = /language – the language of my own messages (/language de, /language auto)
help-cancel = /cancel or /stop – stop the reply I'm writing
help-subscribe = /subscribe – check your access
help-stats = /stats – users, conversations and cost, today and in total (admins)
help-grant = /grant <user_id> <tokens> – give credit beyond the limits, or take it back with a negative amount (admins)
help-help = /help – this message
help-group-persona = /persona – choose who I am in this group (admins)
help-group-persona-custom = /persona custom Name: description – describe someone of your own (admins)
help-group-settings = /settings – this group's voice replies, transcripts, model (admins)
help-group-voice = /voice on or off – also answer with voice notes (admins)
