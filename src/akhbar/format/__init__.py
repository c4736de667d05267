"""Reading and writing the corpus format: the model, files, ids, text, dates, atomic writes, labels."""
