# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Saludar
cmd-help = Lo que sé hacer
cmd-persona = Elegir quién soy para ti
cmd-settings = Respuestas de voz, transcripciones, modelo
cmd-voice = Respuestas de voz: /voice on u off
cmd-cancel = Detener la respuesta que escribo
cmd-new-style = Aprender cómo escribes
cmd-style = Ver o activar la imitación de estilo
cmd-reset = Empezar una conversación nueva
cmd-history = Tus últimas conversaciones
cmd-export = Esta conversación como archivo
cmd-usage = Lo que has usado
cmd-subscribe = Comprobar tu acceso
cmd-group-persona = Elegir quién soy en este grupo (admins)
cmd-group-settings = Respuestas de voz, transcripciones, modelo (admins)

join-channel-button = Unirse al canal
voice-replies-button = 🎙 Respuestas de voz: { $state } (toca para { $next })
transcripts-button = 📝 Mostrar transcripciones: { $state } (toca para { $next })
persona-parent = Madre/padre
persona-spouse = Pareja
persona-child = Hijo/hija
persona-sibling = Hermano/hermana
persona-friend = Amigo
persona-colleague = Colega
persona-other = Otro (descríbelo)
