# /help: one line per command, the command itself as the user types it.

help-intro-private = Escribe lo que quieras, manda una nota de voz o una foto, y te contesto.
help-intro-group = En este grupo, mencióname o responde a uno de mis mensajes y te contesto.
help-reset = /reset – empezar una conversación nueva
help-new-style = /new_style – aprender cómo escribes a partir de tus mensajes recientes
help-style = /style – ver tu perfil de estilo; /style on u off activa o desactiva la imitación
help-persona = /persona – elegir quién soy para ti
help-persona-custom = /persona custom Nombre: descripción – describir a alguien a tu manera
help-usage = /usage – lo que has usado hoy, este mes y en total
help-history = /history – tus últimas conversaciones
help-export = /export – esta conversación como archivo Markdown
help-settings = /settings – respuestas de voz, transcripciones, modelo
help-voice = /voice on u off – responder también con notas de voz
help-language = /language – el idioma de mis propios mensajes (/language de, /language auto)
help-cancel = /cancel o /stop – detener la respuesta que estoy escribiendo
help-subscribe = /subscribe – comprobar tu acceso
help-stats = /stats – usuarios, conversaciones y coste, hoy y en total (admins)
help-grant = /grant <user_id> <tokens> – dar crédito más allá de los límites, o retirarlo con una cantidad negativa (admins)
help-help = /help – este mensaje
help-group-persona = /persona – elegir quién soy en este grupo (admins)
help-group-persona-custom = /persona custom Nombre: descripción – describir a alguien a tu manera (admins)
help-group-settings = /settings – respuestas de voz, transcripciones y modelo de este grupo (admins)
help-group-voice = /voice on u off – responder también con notas de voz (admins)
