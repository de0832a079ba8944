"""The checklist form's parts by field kind (the form itself: widgets.checklist_form)."""
