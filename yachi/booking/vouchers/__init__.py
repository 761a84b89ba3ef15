"""Service vouchers (服务券): a prepaid treatment the patient books into a real appointment."""
