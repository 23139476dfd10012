# The language's own name, as the /language menu shows it.
language-name = Português
