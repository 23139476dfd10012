# /help: one line per command, the command itself as the user types it.

help-intro-private = Escreva qualquer coisa, mande um áudio ou uma foto, e eu respondo.
help-intro-group = Neste grupo, me mencione ou responda a uma das minhas mensagens, e eu respondo.
help-reset = /reset – começar uma conversa nova
help-new-style = /new_style – aprender como você escreve a partir das suas mensagens recentes
help-style = /style – mostrar seu perfil de estilo; /style on ou off liga ou desliga a imitação
help-persona = /persona – escolher quem eu sou para você
help-persona-custom = /persona custom Nome: descrição – descrever alguém do seu jeito
help-usage = /usage – o que você usou hoje, neste mês e no total
help-history = /history – suas últimas conversas
help-export = /export – esta conversa como arquivo Markdown
help-settings = /settings – respostas em áudio, transcrições, modelo
help-voice = /voice on ou off – responder também com áudios
help-language = /language – o idioma das minhas próprias mensagens (/language de, /language auto)
help-cancel = /cancel ou /stop – parar a resposta que estou escrevendo
help-subscribe = /subscribe – verificar seu acesso
help-stats = /stats – usuários, conversas e custo, hoje e no total (admins)
help-grant = /grant <user_id> <tokens> – dar crédito além dos limites, ou retirá-lo com um valor negativo (admins)
help-help = /help – esta mensagem
help-group-persona = /persona – escolher quem eu sou neste grupo (admins)
help-group-persona-custom = /persona custom Nome: descrição – descrever alguém do seu jeito (admins)
help-group-settings = /settings – respostas em áudio, transcrições e modelo deste grupo (admins)
help-group-voice = /voice on ou off – responder também com áudios (admins)
