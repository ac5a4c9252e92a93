"""Xieshang (协商): a workbench for collective consultation on platform workers' pay."""
