# The rough edges: refusals that fit the user's standing, group rules, private answers,
# and answers that say when nothing changed.

edges-refused-banned = You're banned from our channel, so this bot isn't available to you.
edges-reset-nothing = There was nothing to put aside: this conversation is still empty.
edges-group-reset-admins-only = Only this group's admins can start a new conversation here.
edges-grant-unknown-user = User { $user } has never used this bot, so nothing was granted. Check the id.
edges-sent-privately = I've answered you in our private chat.
edges-open-private-chat = That's only for you, so I answer it in a private chat. Open a chat with me, press Start, and ask again.
edges-style-already-on = Style imitation is already on. /style off turns it off.
edges-style-already-off = Style imitation is already off. /style on brings it back.
edges-voice-already-on = Voice replies are already on. /voice off stops them.
edges-voice-already-off = Voice replies are already off: text only.
