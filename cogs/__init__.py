"""Discord extensions: every public module here is loaded by the bot; helpers start with an underscore."""
