# Telegram's command menus (at most 256 characters each) and the words on buttons.

cmd-start = Dizer oi
cmd-help = O que eu sei fazer
cmd-persona = Escolher quem eu sou para você
cmd-settings = Respostas em áudio, transcrições, modelo
cmd-voice = Respostas em áudio: /voice on ou off
cmd-cancel = Parar a resposta que estou escrevendo
cmd-new-style = Aprender como você escreve
cmd-style = Mostrar ou alternar a imitação de estilo
cmd-reset = Começar uma conversa nova
cmd-history = Suas últimas conversas
cmd-export = Esta conversa como arquivo
cmd-usage = O que você usou
cmd-subscribe = Verificar seu acesso
cmd-group-persona = Escolher quem eu sou neste grupo (admins)
cmd-group-settings = Respostas em áudio, transcrições, modelo (admins)

join-channel-button = Entrar no canal
voice-replies-button = 🎙 Respostas em áudio: { $state } (toque para { $next })
transcripts-button = 📝 Mostrar transcrições: { $state } (toque para { $next })
persona-parent = Pai/mãe
persona-spouse = Cônjuge
persona-child = Filho/filha
persona-sibling = Irmão/irmã
persona-friend = Amigo
persona-colleague = Colega
persona-other = Outro (descreva)
