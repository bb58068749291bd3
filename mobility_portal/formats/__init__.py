"""The portal's own formats, per language (settings: FORMAT_MODULE_PATH): Django's own are used
for every name a language's module does not set."""
