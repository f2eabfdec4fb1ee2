"""Reading an article: the file, its front matter, the model, its structure and dates."""
