"""Clinical records (病历): the doctor's chart of a patient, its notes, who may see them."""
