# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Say hello
cmd-help = What I can do
cmd-persona = Choose who I am for you
cmd-settings = Voice replies, transcripts, model
cmd-voice = Voice replies: /voice on or off
cmd-cancel = Stop the reply I'm writing
cmd-new-style = Learn how you write
cmd-style = Show or toggle style imitation
cmd-reset = Start a new conversation
cmd-history = Your last conversations
cmd-export = This conversation as a file
cmd-usage = What you have used
cmd-subscribe = Check your access
cmd-group-persona = Choose who I am in this group (admins)
cmd-group-settings = Voice replies, transcripts, model (admins)

join-channel-button = Join the channel
# $state: setting-on or setting-off; $next: the other one.
voice-replies-button = 🎙 Voice replies: { $state } (tap for { $next })
transcripts-button = 📝 Show transcripts: { $state } (tap for { $next })
persona-parent = Parent
persona-spouse = Spouse
persona-child = Child
persona-sibling = Sibling
persona-friend = Friend
persona-colleague = Colleague
persona-other = Other (describe it)
