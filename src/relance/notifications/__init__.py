"""Patient messages: templates, the SMS gateway protocol and its Kannel client."""
