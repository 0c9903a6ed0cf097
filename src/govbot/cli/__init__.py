"""Click commands, one thin function each; init (scaffold) and demo."""
