"""The model: pure computing and every judgement, from the typed inputs reading hands over to the records
(`smarketing_assess.records`) every report reads."""
