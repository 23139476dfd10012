# The bot's own words (everything not written by the model). Commands stay in English.

start = Hi! I'm your companion. Just write to me like you would to a friend.

    /help shows what I can do.
reset-done = Okay, fresh start. I've put our previous conversation aside.
unsupported-message = I can read text, voice notes and photos, but not this kind of message yet.
message-too-big = Sorry, that message is too long for me to take in. Could you send it in shorter parts?
refused-channel = This bot is for members of our channel. Join it, then send your message again.
refused-private = Sorry, this bot is private.
unknown-command = I don't know the command /{ $name }. Try /help.

access-allow-listed = You have access: you are on the allow-list.
access-open = You have access: this bot is open to everyone.
# $status: creator, administrator, restricted or member.
access-member = You have access: you are { $status ->
        [creator] a creator
        [administrator] an administrator
        [restricted] a restricted member
       *[member] a member
    } of the channel.
access-as-group = You have access: you are writing as this group.
access-as-channel = You have access: you are writing as the channel.
access-banned = You don't have access: you are banned from the channel.
access-not-member = You don't have access yet: join the channel first.
access-refused = You don't have access to this bot.

persona-menu = Who should I be for you? Pick one, or describe someone with /persona custom Name: description
persona-other-hint = Describe who I should be: /persona custom Name: description
# $who: a persona's noun (persona-noun-*), or the user's own description.
persona-set = Okay! From now on I'm your { $who }.
persona-custom-hint = Tell me who I should be, e.g. /persona custom Anna: my older sister who loves hiking and teases me about my cooking
persona-too-long = That description is too long; please keep it under { $max } characters.
# How persona-set names a kind from the menu.
persona-noun-parent = parent
persona-noun-spouse = spouse
persona-noun-child = child
persona-noun-sibling = sibling
persona-noun-friend = friend
persona-noun-colleague = colleague
persona-noun-other = other (describe it)

new-style-done-heading = Context successfully updated!
new-style-done = { new-style-done-heading }
    Built from { $samples } of your messages. Forward me messages you wrote elsewhere in the next { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } and I'll learn from them too.
sample-added = Added to your style samples: your profile now draws on { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }.
style-none = I haven't learned your style yet. Send /new_style after chatting a little.
style-report-on = Your style (from { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }): { $description }
    Imitation is on. /style off to turn it off.
style-report-off = Your style (from { $samples ->
        [one] { $samples } message
       *[other] { $samples } messages
    }): { $description }
    Imitation is off. /style on to turn it on.
style-on = Okay, I'll write in your style again.
style-off = Okay, I'll stop imitating your style. /style on brings it back.
style-usage = Usage: /style, /style on or /style off
new-style-too-few = I need a few of your messages before I can learn your style. Chat with me a little, then try /new_style again.
memory-folded = Our conversation is getting long, so I've condensed the older part into notes. I still remember what matters.


stopped = ⏹ Stopped. What I'd written so far is above; send a message to carry on.
stopped-empty = ⏹ Stopped before I'd written anything.
cancelling = Okay: if I'm writing a reply, I'll stop it there.

transcript = 🎙 “{ $text }”
voice-on = Okay, I'll also answer with voice notes. /voice off stops that.
voice-off = Okay, text only from now on.
voice-usage = Usage: /voice on or /voice off
settings-menu = Settings. Tap to change:
group-admins-only = Only this group's admins can change that.
model-not-allowed = That model isn't available.
setting-on = on
setting-off = off
setting-voice-replies = Voice replies: { $state }
setting-transcripts = Show transcripts: { $state }
setting-model = Model: { $model }
setting-model-default = default
